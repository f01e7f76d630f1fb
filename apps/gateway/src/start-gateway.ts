import type { RequestListener } from 'node:http';
import { Logger, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isServiceRegistry, type RegistryModuleOptions, type ServiceRegistry } from '@toskamesh/registry';
import type { LoggingOptions, TracingOptions } from '@toskamesh/telemetry';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { GATEWAY_SERVICE_NAME, gatewayRegistryOptions } from './config/gateway-registry-options.js';
import type { GatewayOptions } from './config/gateway-options.js';
import { resolveGatewayOptions } from './config/resolve-gateway-options.js';
import type { ResolvedGatewayOptions } from './config/resolved-gateway-options.js';
import { GatewayModule } from './gateway.module.js';
import { DRAIN_GRACE_MS, GatewayRuntime } from './server/gateway-runtime.js';

/** How the gateway process runs, as opposed to what it does ({@link GatewayOptions}). */
export interface GatewayStartOptions {
  /** Where `Mesh__*` and the original's variables are read. @default process.env */
  env?: Record<string, string | undefined>;
  /**
   * The registry to follow: a ready instance (tests pass a `MemoryServiceRegistry`, left open on close)
   * or registry module options. @default from the environment, else discovery at http://127.0.0.1:5010
   */
  registry?: ServiceRegistry | RegistryModuleOptions;
  /** @default level from `Mesh__Telemetry__LogLevel` / `LOG_LEVEL`, else 'info' */
  logging?: LoggingOptions;
  /** @default off unless an OTLP endpoint is configured */
  tracing?: TracingOptions;
  /** Longest wait for in-flight requests on {@link GatewayHandle.close}. @default 10000 */
  drainGraceMs?: number;
}

/** A running gateway. */
export interface GatewayHandle {
  /** `http(s)://host:port` clients use (`127.0.0.1` for a wildcard host). */
  readonly url: string;
  readonly options: ResolvedGatewayOptions;
  readonly app: INestApplication;
  /** Drains in-flight requests (bounded), stops every part and closes the Nest app. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the gateway: resolves its options (environment > code > default), builds the Nest app
 * (registry, telemetry, health, admin), initialises it without `app.listen()`, and opens the gateway's
 * own node:http(s) server with the Nest app as the handler of its own paths. Throws `MeshConfigError`
 * for bad configuration and the listen error (e.g. `EADDRINUSE`) after cleaning up.
 */
export async function startGateway(
  options: GatewayOptions = {},
  start: GatewayStartOptions = {},
): Promise<GatewayHandle> {
  const env = start.env ?? process.env;
  const resolved = resolveGatewayOptions(options, env);
  const registry = isServiceRegistry(start.registry)
    ? { provider: start.registry }
    : (start.registry ?? gatewayRegistryOptions(env));
  const app = await NestFactory.create(
    GatewayModule.forRoot({
      options: resolved,
      registry,
      telemetry: {
        serviceName: GATEWAY_SERVICE_NAME,
        ...(start.logging ? { logging: start.logging } : {}),
        ...(start.tracing ? { tracing: start.tracing } : {}),
      },
    }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  const runtime = app.get(GatewayRuntime);
  let url: string;
  try {
    await app.init();
    url = await runtime.listen(app.getHttpAdapter().getInstance() as RequestListener);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  new Logger('Gateway').log(`Gateway listening on ${url} (mesh routes under ${resolved.routePrefix})`);
  let closing: Promise<void> | undefined;
  return {
    url,
    options: resolved,
    app,
    close: () =>
      (closing ??= (async () => {
        await runtime.close(start.drainGraceMs ?? DRAIN_GRACE_MS);
        await app.close();
      })()),
  };
}
