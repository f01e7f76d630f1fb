import type { INestApplication, NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import type { DiscoveryAppOptions } from './config/discovery-options.js';
import { resolveDiscoveryOptions } from './config/resolve-discovery-options.js';
import { DiscoveryAppModule } from './discovery-app.module.js';
import { DiscoveryGrpcServer } from './grpc/discovery-grpc.server.js';
import { discoveryGrpcOptions } from './grpc/grpc-options.js';
import { canonicalRouteMiddleware } from './http/canonical-route.js';

/** A started discovery service. */
export interface DiscoveryApp {
  app: INestApplication;
  /** Base URL of the REST API (`http://127.0.0.1:5010`). */
  httpUrl: string;
  /** `host:port` of the gRPC server, `undefined` with `grpcPort: false`. */
  grpcUrl: string | undefined;
  /** Stops servers, watch streams, probes and the store. Safe to call twice. */
  close(): Promise<void>;
}

/** How the Nest application itself is created. */
export interface DiscoveryAppInit {
  /** Nest logger setting (`false` silences it in tests). @default Nest's console logger */
  logger?: NestApplicationOptions['logger'];
}

/**
 * Starts the discovery service: REST (+ SSE) on `port` and gRPC on `grpcPort`, both on `host`.
 * Port 0 picks a free port; the URLs returned say which. For tests and tools that embed the service;
 * `main.ts` uses it with the options read from the environment.
 */
export async function createDiscoveryApp(
  options: DiscoveryAppOptions = {},
  init: DiscoveryAppInit = {},
): Promise<DiscoveryApp> {
  // Validated here too, so a bad option fails before any socket is opened.
  const resolved = resolveDiscoveryOptions(options);
  const app = await NestFactory.create(DiscoveryAppModule.forRoot(options), {
    forceCloseConnections: true,
    ...(init.logger !== undefined ? { logger: init.logger } : {}),
  });
  try {
    // Before every router, so the original's case-insensitive routes match whatever Express settings.
    app.use(canonicalRouteMiddleware);
    // Lifecycle hooks (change feed, probes) run before either server accepts a call.
    await app.init();
    let grpc: DiscoveryGrpcServer | undefined;
    if (resolved.grpcPort !== false) {
      grpc = new DiscoveryGrpcServer(discoveryGrpcOptions(resolved.host, resolved.grpcPort));
      app.connectMicroservice({ strategy: grpc }, { inheritAppConfig: true });
      await app.startAllMicroservices();
    }
    await app.listen(resolved.port, resolved.host);
    const { port } = app.getHttpServer().address() as AddressInfo;
    let closing: Promise<void> | undefined;
    return {
      app,
      httpUrl: `http://${urlHost(resolved.host)}:${port}`,
      grpcUrl: grpc ? `${urlHost(resolved.host)}:${grpc.boundPort}` : undefined,
      close: () => (closing ??= app.close()),
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** A host clients can connect to: the wildcard addresses mean "this machine". */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
