import { Module } from '@nestjs/common';
import { TokenAuthenticator } from './auth/token-authenticator.js';
import { normalizeToskaStoreOptions } from './config/resolve-toska-store-options.js';
import type { ToskaStoreOptions } from './config/toska-store-options.js';
import { KvHandlers } from './http/kv.handlers.js';
import { ReplicationHandlers } from './http/replication.handlers.js';
import { RequestPipeline } from './http/request-pipeline.js';
import { ServerHandlers } from './http/server.handlers.js';
import { ToskaHttpServer } from './http/toska-http.server.js';
import { ToskaRouter } from './http/toska.router.js';
import { RateLimiter } from './rate-limit/rate-limiter.service.js';
import { ReplicaFollower } from './replication/follower/replica-follower.service.js';
import { ServerState } from './server/server-state.js';
import { FileKvEngine } from './store/file-kv.engine.js';
import { KvEngine } from './store/kv-engine.js';
import {
  TOSKA_STORE_MODULE_OPTIONS,
  ToskaStoreModuleClass,
  type ToskaStoreModuleOptions,
} from './toska-store.module-definition.js';
import { FOLLOWER_STATUS_SOURCE, TOSKA_STORE_OPTIONS } from './toska-store.tokens.js';

/**
 * The ToskaStore server as a Nest module: the durable engine (`KvEngine`, recovered from disk before
 * anything else starts), auth, rate limit, the follower when `replicaUrl` is set, and the HTTP server
 * (`ToskaHttpServer`, which the caller starts with `listen()`; see `startToskaStore`). Wiring only.
 *
 * Shutdown order: the follower stops (`onModuleDestroy`), the HTTP server drains
 * (`beforeApplicationShutdown`), then the engine flushes and closes (`onApplicationShutdown`).
 */
@Module({
  providers: [
    {
      provide: TOSKA_STORE_OPTIONS,
      useFactory: (options: ToskaStoreModuleOptions) => normalizeToskaStoreOptions(options),
      inject: [TOSKA_STORE_MODULE_OPTIONS],
    },
    {
      provide: KvEngine,
      useFactory: (options: ToskaStoreOptions) => FileKvEngine.open(options),
      inject: [TOSKA_STORE_OPTIONS],
    },
    ReplicaFollower,
    { provide: FOLLOWER_STATUS_SOURCE, useExisting: ReplicaFollower },
    ServerState,
    TokenAuthenticator,
    RateLimiter,
    KvHandlers,
    ServerHandlers,
    ReplicationHandlers,
    ToskaRouter,
    RequestPipeline,
    ToskaHttpServer,
  ],
  exports: [TOSKA_STORE_OPTIONS, KvEngine, ToskaHttpServer, ServerState, ReplicaFollower],
})
export class ToskaStoreModule extends ToskaStoreModuleClass {}
