import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { normalizeToskaStoreOptions } from './config/resolve-toska-store-options.js';
import { ToskaHttpServer } from './http/toska-http.server.js';
import { KvEngine } from './store/kv-engine.js';
import type { ToskaStoreModuleOptions } from './toska-store.module-definition.js';
import { ToskaStoreModule } from './toska-store.module.js';

/** A running ToskaStore server. */
export interface ToskaStoreServer {
  /** Base URL (`http://127.0.0.1:4000`). */
  url: string;
  /** The bound port (the chosen one when started with port 0). */
  port: number;
  /** The engine behind the API, for tests and embedding code. */
  engine: KvEngine;
  /** The Nest application context holding every service. */
  app: INestApplicationContext;
  /** Graceful stop: stop accepting, finish in-flight requests, stop the follower, close the engine. Idempotent. */
  close(): Promise<void>;
}

/** How the Nest context itself is created. */
export interface ToskaStoreInit {
  /** Nest logger setting (`false` silences it in tests). @default Nest's console logger */
  logger?: NonNullable<Parameters<typeof NestFactory.createApplicationContext>[1]>['logger'];
}

/**
 * Starts a ToskaStore server in this process: recovers the engine from `dataDir`, starts the follower
 * when `replicaUrl` is set, then listens. Options are only the ones given plus defaults (no env, no
 * config file: use `resolveToskaStoreOptions` for those), so tests can run it on port 0 with a temp dir.
 */
export async function startToskaStore(
  options: ToskaStoreModuleOptions = {},
  init: ToskaStoreInit = {},
): Promise<ToskaStoreServer> {
  // Validated before Nest starts, so a bad option throws its MeshConfigError rather than a DI error.
  normalizeToskaStoreOptions(options);
  const app = await NestFactory.createApplicationContext(ToskaStoreModule.forRoot(options), {
    abortOnError: false,
    ...(init.logger !== undefined ? { logger: init.logger } : {}),
  });
  try {
    const address = await app.get(ToskaHttpServer).listen();
    let closing: Promise<void> | undefined;
    return {
      url: `http://${urlHost(address.address)}:${address.port}`,
      port: address.port,
      engine: app.get(KvEngine),
      app,
      close: () => (closing ??= app.close()),
    };
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
}

/** A host clients can connect to: the wildcard addresses mean "this machine". */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}
