import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { LoggerService } from '@nestjs/common';
import type { AdminAccess } from '../admin/admin-access.js';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { writeProblem, type GatewayProblem } from '../http/problem.js';
import { pathOf, type AccessLog } from '../observability/access-log.js';
import { correlationIdOf } from '../observability/correlation-id.js';
import { NO_SERVICE, type GatewayMetrics } from '../observability/gateway-metrics.js';
import type { RequestTracer } from '../observability/request-tracer.js';
import type { ProxyExchange, ForwardResult } from '../proxy/proxy-exchange.js';
import type { ProxyForwarder } from '../proxy/proxy-forwarder.js';
import type { WebSocketProxy } from '../proxy/websocket-proxy.js';
import type { CorsPolicy } from '../security/cors-policy.js';
import { clientIp } from '../security/rate-limit/client-ip.js';
import { problems } from './gateway-problems.js';
import type { NestPaths } from './nest-paths.js';
import { writeRawProblem } from '../http/raw-problem.js';
import type { Admitted, RequestAdmission, RequestFacts } from './request-admission.js';

/** Collaborators of {@link ProxyPipeline}. */
export interface ProxyPipelineDeps {
  readonly options: ResolvedGatewayOptions;
  readonly admission: RequestAdmission;
  readonly cors: CorsPolicy;
  readonly forwarder: ProxyForwarder;
  readonly webSockets: WebSocketProxy;
  readonly metrics: GatewayMetrics;
  readonly accessLog: AccessLog;
  readonly nestPaths: NestPaths;
  readonly adminAccess: AdminAccess;
  /** Present only when tracing is enabled. */
  readonly tracer?: RequestTracer;
  readonly logger: Pick<LoggerService, 'error'>;
  /** Whether clients reach the gateway over TLS. */
  readonly secure: boolean;
}

interface RequestContext extends RequestFacts {
  readonly started: number;
  readonly method: string;
}

/**
 * Everything that happens to one request, in plain TypeScript (no Nest or Express per proxied request):
 * Nest's paths go to `fallback` (the admin API after its access check); every other request passes
 * CORS, {@link RequestAdmission} (path, route, credentials, rate limit, pool) and is forwarded, then
 * counted and logged. Never throws: an unexpected error becomes a 500 problem and a log line.
 */
export class ProxyPipeline {
  private readonly trustedProxies: readonly string[];

  constructor(
    private readonly deps: ProxyPipelineDeps,
    private readonly fallback: RequestListener,
  ) {
    this.trustedProxies = deps.options.rateLimit.trustedProxies;
  }

  /** The server's `request` listener. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/';
    if (this.deps.nestPaths.matches(url)) {
      if (this.deps.nestPaths.isAdmin(url)) void this.admin(req, res);
      else this.fallback(req, res);
      return;
    }
    void this.proxy(req, res);
  };

  /** The server's `upgrade` listener (WebSocket and other `Upgrade` requests). */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    // An upgraded socket has no HTTP error handling left: an unhandled 'error' would end the process.
    socket.on('error', ignore);
    void this.tunnel(req, socket, head);
  };

  private context(req: IncomingMessage): RequestContext {
    return {
      started: performance.now(),
      method: req.method ?? 'GET',
      correlationId: correlationIdOf(req),
      clientIp: clientIp(req, this.trustedProxies),
    };
  }

  private async proxy(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ctx = this.context(req);
    try {
      if (this.deps.cors.apply(req, res)) {
        this.record(ctx, req, NO_SERVICE, res.statusCode, { attempts: 0 }, 'cors-preflight');
        return;
      }
      const admission = await this.deps.admission.admit(req, ctx);
      if (!admission.admitted) {
        this.answer(ctx, req, res, admission.problem, admission.headers, admission.service);
        return;
      }
      if (admission.rateLimit !== undefined) {
        for (const name in admission.rateLimit) res.setHeader(name, admission.rateLimit[name]!);
      }
      await this.forward(ctx, req, res, admission);
    } catch (error) {
      this.deps.logger.error(`Request ${ctx.correlationId} failed in the gateway: ${String(error)}`);
      this.answer(ctx, req, res, internalError(ctx.correlationId));
    }
  }

  private async forward(ctx: RequestContext, req: IncomingMessage, res: ServerResponse, admitted: Admitted) {
    const { pool } = admitted;
    const series = this.deps.metrics.series(pool.name);
    series.started();
    const exchange: ProxyExchange = {
      req,
      res,
      pool,
      upstreamPath: admitted.match.upstreamPath,
      ...(admitted.identity ? { identity: admitted.identity } : {}),
      correlationId: ctx.correlationId,
      clientIp: ctx.clientIp,
      secure: this.deps.secure,
    };
    let result: ForwardResult;
    try {
      result = this.deps.tracer
        ? await this.deps.tracer.trace(req, pool.name, () => this.deps.forwarder.forward(exchange))
        : await this.deps.forwarder.forward(exchange);
    } catch (error) {
      series.finished(ctx.method, 500, (performance.now() - ctx.started) / 1000, true);
      throw error;
    }
    series.finished(ctx.method, result.status, (performance.now() - ctx.started) / 1000, true);
    if (result.failure !== undefined && result.failure !== 'aborted') series.upstreamError(result.failure);
    this.log(ctx, req, pool.name, result.status, result, result.failure);
  }

  private async admin(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const correlationId = correlationIdOf(req);
    try {
      const refusal = await this.deps.adminAccess.check(req, correlationId);
      if (refusal === undefined) this.fallback(req, res);
      else writeProblem(res, refusal.problem, refusal.headers);
    } catch (error) {
      this.deps.logger.error(`Admin request ${correlationId} failed: ${String(error)}`);
      writeProblem(res, internalError(correlationId));
    }
  }

  private async tunnel(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const ctx = this.context(req);
    try {
      if (this.deps.nestPaths.matches(req.url ?? '/')) {
        this.refuseRaw(ctx, req, socket, problems.notFound(ctx.correlationId));
        return;
      }
      const admission = await this.deps.admission.admit(req, ctx);
      if (!admission.admitted) {
        this.refuseRaw(ctx, req, socket, admission.problem, admission.headers, admission.service);
        return;
      }
      const status = await this.deps.webSockets.upgrade({
        req,
        socket,
        head,
        pool: admission.pool,
        upstreamPath: admission.match.upstreamPath,
        ...(admission.identity ? { identity: admission.identity } : {}),
        correlationId: ctx.correlationId,
        clientIp: ctx.clientIp,
        secure: this.deps.secure,
      });
      this.record(ctx, req, admission.pool.name, status, { attempts: 1 });
    } catch (error) {
      this.deps.logger.error(`Upgrade ${ctx.correlationId} failed in the gateway: ${String(error)}`);
      this.refuseRaw(ctx, req, socket, internalError(ctx.correlationId));
    }
  }

  private answer(
    ctx: RequestContext,
    req: IncomingMessage,
    res: ServerResponse,
    problem: GatewayProblem,
    headers?: Record<string, string>,
    service = NO_SERVICE,
  ): void {
    writeProblem(res, problem, headers);
    this.record(ctx, req, service, problem.status, { attempts: 0 }, problem.reason);
  }

  private refuseRaw(
    ctx: RequestContext,
    req: IncomingMessage,
    socket: Duplex,
    problem: GatewayProblem,
    headers?: Record<string, string>,
    service = NO_SERVICE,
  ): void {
    writeRawProblem(socket, problem, headers);
    this.record(ctx, req, service, problem.status, { attempts: 0 }, problem.reason);
  }

  /** Metrics and access log of a request that did not reach the forwarder. */
  private record(
    ctx: RequestContext,
    req: IncomingMessage,
    service: string,
    status: number,
    result: { attempts: number; targetId?: string },
    reason?: string,
  ): void {
    this.deps.metrics
      .series(service)
      .finished(ctx.method, status, (performance.now() - ctx.started) / 1000, false);
    this.log(ctx, req, service, status, result, reason);
  }

  private log(
    ctx: RequestContext,
    req: IncomingMessage,
    service: string,
    status: number,
    result: { attempts: number; targetId?: string },
    reason: string | undefined,
  ): void {
    if (!this.deps.accessLog.enabled) return;
    this.deps.accessLog.write({
      method: ctx.method,
      path: pathOf(req.url),
      status,
      durationMs: Math.round((performance.now() - ctx.started) * 100) / 100,
      upstreamService: service,
      ...(result.targetId === undefined ? {} : { target: result.targetId }),
      attempts: result.attempts,
      correlationId: ctx.correlationId,
      clientIp: ctx.clientIp,
      ...(reason === undefined ? {} : { reason }),
    });
  }
}

function ignore(): void {}

function internalError(correlationId: string): GatewayProblem {
  return {
    status: 500,
    title: 'Internal Server Error',
    detail: 'the gateway failed to handle the request',
    reason: 'gateway-error',
    correlationId,
  };
}
