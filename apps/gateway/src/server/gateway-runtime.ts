import type { RequestListener } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TELEMETRY_OPTIONS, type ResolvedTelemetryOptions } from '@toskamesh/telemetry';
import { PinoLogger } from 'nestjs-pino';
import { symbols } from 'pino';
import { AdminAccess } from '../admin/admin-access.js';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { GATEWAY_FORWARDING_ENGINE, GATEWAY_OPTIONS, GATEWAY_RATE_LIMITER } from '../gateway.tokens.js';
import { AccessLog, type AccessLogger } from '../observability/access-log.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { RequestTracer } from '../observability/request-tracer.js';
import type { ForwardingEngine } from '../proxy/forwarding-engine.js';
import { ProxyForwarder } from '../proxy/proxy-forwarder.js';
import { WebSocketProxy } from '../proxy/websocket-proxy.js';
import { MeshRouteResolver } from '../routing/mesh-route-resolver.js';
import { ServiceCatalog } from '../routing/service-catalog.js';
import { CorsPolicy } from '../security/cors-policy.js';
import { GatewayAuthenticator } from '../security/gateway-authenticator.js';
import type { RateLimiter } from '../security/request-identity.js';
import { ActiveProber } from '../upstream/active-prober.js';
import { UpstreamPools } from '../upstream/upstream-pools.js';
import { GatewayServer } from './gateway-server.js';
import { NestPaths } from './nest-paths.js';
import { ProxyPipeline } from './proxy-pipeline.js';
import { RequestAdmission } from './request-admission.js';

/**
 * The telemetry logger (same destination, level, base fields, redaction) for access lines, minus its
 * `mixin`: an access line carries its own correlation id, and the mixin parses the logger's bindings on
 * every line (2-3 % of the gateway's CPU under load in a `--cpu-prof` profile).
 */
function accessLoggerOf(pino: PinoLogger): AccessLogger {
  const child = pino.logger.child({ context: 'GatewayAccess' });
  (child as unknown as Record<symbol, unknown>)[symbols.mixinSym] = undefined;
  return child;
}

/** Longest wait for in-flight requests when the gateway stops. */
export const DRAIN_GRACE_MS = 10_000;

/**
 * Assembles the proxy path from the parts Nest provides and owns its lifecycle: the registry watch and
 * active probes start when the app bootstraps; {@link listen} opens the port with the Nest app as the
 * fallback for `/health*`, `/metrics` and the admin API; {@link close} drains the server, then stops
 * the probes, the watch, the pools, the rate limiter and the engine's connections, in that order.
 */
@Injectable()
export class GatewayRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Gateway');
  private server?: GatewayServer;
  private closed?: Promise<void>;

  constructor(
    @Inject(GATEWAY_OPTIONS) private readonly options: ResolvedGatewayOptions,
    private readonly catalog: ServiceCatalog,
    private readonly pools: UpstreamPools,
    private readonly prober: ActiveProber,
    private readonly authenticator: GatewayAuthenticator,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_RATE_LIMITER) private readonly limiter: RateLimiter | null,
    @Inject(TELEMETRY_OPTIONS) private readonly telemetry: ResolvedTelemetryOptions,
    private readonly pino: PinoLogger,
    @Inject(GATEWAY_FORWARDING_ENGINE) private readonly engine: ForwardingEngine,
  ) {}

  /** True once shutdown began; `/health/ready` then answers 503. */
  get draining(): boolean {
    return this.closed !== undefined || (this.server?.draining ?? false);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.catalog.start();
    this.prober.start();
  }

  /** Opens the gateway's port; requests for Nest's paths go to `fallback`. Resolves with the URL. */
  async listen(fallback: RequestListener): Promise<string> {
    if (this.server) return this.server.url;
    const pipeline = this.pipeline(fallback);
    const server = new GatewayServer(this.options, pipeline);
    this.server = server;
    return server.listen();
  }

  /** Drains and stops everything the runtime started. Idempotent. */
  close(graceMs = DRAIN_GRACE_MS): Promise<void> {
    this.closed ??= this.stop(graceMs);
    return this.closed;
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private pipeline(fallback: RequestListener): ProxyPipeline {
    const { options, metrics } = this;
    const forwarder = new ProxyForwarder({
      engine: this.engine,
      options,
      onRetry: (pool, reason) => metrics.series(pool).retry(reason),
    });
    const admission = new RequestAdmission({
      options,
      resolver: new MeshRouteResolver(options.routePrefix, options.staticRoutes),
      authenticator: this.authenticator,
      ...(this.limiter ? { limiter: this.limiter } : {}),
      pools: this.pools,
      logger: this.logger,
      onRateLimited: (service) => metrics.series(service ?? '(none)').rateLimited(),
    });
    const accessLogger = options.accessLog ? accessLoggerOf(this.pino) : undefined;
    return new ProxyPipeline(
      {
        options,
        admission,
        cors: new CorsPolicy(options.cors),
        forwarder,
        webSockets: new WebSocketProxy({ engine: this.engine, options }),
        metrics,
        accessLog: new AccessLog(accessLogger),
        nestPaths: new NestPaths(
          this.telemetry.metrics.path,
          options.admin.enabled ? options.admin.path : undefined,
        ),
        adminAccess: new AdminAccess(this.authenticator, options.admin.role),
        ...(this.telemetry.tracing.enabled ? { tracer: new RequestTracer() } : {}),
        logger: this.logger,
        secure: options.tls !== undefined,
      },
      fallback,
    );
  }

  private async stop(graceMs: number): Promise<void> {
    await this.server?.close(graceMs);
    const steps: [string, () => unknown][] = [
      ['active prober', () => this.prober.stop()],
      ['registry watch', () => this.catalog.stop()],
      ['upstream pools', () => this.pools.close()],
      ['rate limiter', () => this.limiter?.close()],
      ['forwarding engine', () => this.engine.close()],
      ['metrics', () => this.metrics.close()],
    ];
    for (const [name, step] of steps) {
      try {
        await step();
      } catch (error) {
        // One part failing to stop must not keep the others running.
        this.logger.warn(`Stopping the ${name} failed: ${String(error)}`);
      }
    }
  }
}
