import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
  Optional,
} from '@nestjs/common';
import { backoffDelayMs } from '@toskamesh/common';
import { join } from 'node:path';
import type { ToskaStoreOptions } from '../../config/toska-store-options.js';
import { KvEngine } from '../../store/kv-engine.js';
import type { FollowerStatusSource } from '../follower-status-source.js';
import { TOSKA_STORE_OPTIONS } from '../../toska-store.tokens.js';
import { LeaderClient, type LeaderFetch } from './leader.client.js';
import { REPLICA_OFFSET_FILE, ReplicaPositionFile } from './replica-position.js';
import { ReplicaSync } from './replica-sync.js';

/** The body of `GET /replication/status` on a follower (contract §7); `last_error` is always text. */
export interface ReplicaFollowerStatus {
  leader_url: string;
  /** Byte offset in the leader's current AOF after the last whole record applied. */
  offset: number;
  /** Epoch ms of the last bootstrap from a leader snapshot, or `null`. */
  last_snapshot_at: number | null;
  /** Epoch ms of the last successful AOF poll, or `null`. */
  last_poll_at: number | null;
  /** Why the last poll failed, or `null` once a poll succeeds again. */
  last_error: string | null;
  poll_interval_ms: number;
  http_timeout_ms: number;
}

/** Optional DI token of the `fetch` the follower calls its leader with (tests swap it). */
export const REPLICA_LEADER_FETCH = Symbol('REPLICA_LEADER_FETCH');

/** Longest back-off between failed polls. */
export const REPLICA_MAX_BACKOFF_MS = 30_000;

const MAX_ERROR_LENGTH = 500;

/**
 * Follower replication (contract §7–8), on when `replicaUrl` is set: bootstraps from the leader's
 * snapshot, then tails its AOF every `replicaPollMs`, applying whole records only and re-syncing when the
 * leader truncates its AOF. Failures never stop the loop: they are logged, kept as `last_error` and
 * retried with an exponential back-off. Nothing here blocks the start of the HTTP server.
 */
@Injectable()
export class ReplicaFollower
  implements FollowerStatusSource, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger(ReplicaFollower.name);
  private readonly sync: ReplicaSync | undefined;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private failures = 0;
  private lastError: string | null = null;

  constructor(
    engine: KvEngine,
    @Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions,
    @Optional() @Inject(REPLICA_LEADER_FETCH) fetchImpl?: LeaderFetch,
  ) {
    if (!options.replicaUrl) return;
    const leader = new LeaderClient({
      baseUrl: options.replicaUrl,
      token: options.replicationAuthToken || options.authToken,
      timeoutMs: options.replicaHttpTimeoutMs,
      fetch: fetchImpl,
    });
    const positionFile = new ReplicaPositionFile(join(options.dataDir, REPLICA_OFFSET_FILE));
    this.sync = new ReplicaSync({ engine, leader, positionFile, log: this.logger });
  }

  /** Whether this server follows a leader (and so is read-only). */
  get following(): boolean {
    return this.sync !== undefined;
  }

  /** The follower's state, or `undefined` when this server is not a follower (`/replication/status` → 404). */
  status(): ReplicaFollowerStatus | undefined {
    if (!this.sync) return undefined;
    return {
      leader_url: this.sync.leaderUrl,
      offset: this.sync.cursor.committed,
      last_snapshot_at: this.sync.lastSnapshotAt,
      last_poll_at: this.sync.lastPollAt,
      last_error: this.lastError,
      poll_interval_ms: this.options.replicaPollMs,
      http_timeout_ms: this.options.replicaHttpTimeoutMs,
    };
  }

  onApplicationBootstrap(): void {
    if (!this.sync || this.stopped) return;
    this.logger.log(`Following ${this.sync.leaderUrl} (read-only)`);
    const sync = this.sync;
    this.running = sync
      .restore()
      .catch((error: unknown) => this.logger.warn(`Ignoring replica.offset: ${describe(error)}`))
      .then(() => this.schedule(0));
  }

  /** Stops before the engine closes (Nest runs every `onModuleDestroy` before shutdown hooks). */
  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops polling: cancels the timer, aborts the request in flight and waits for the step to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort(new Error('the follower is stopping'));
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.step();
    }, delayMs);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    let delay = this.options.replicaPollMs;
    try {
      const outcome = await this.sync!.poll(this.abort.signal);
      this.failures = 0;
      this.lastError = null;
      if (outcome === 'more') delay = 0;
    } catch (error) {
      if (this.stopped) return;
      this.failures += 1;
      this.lastError = describe(error).slice(0, MAX_ERROR_LENGTH);
      delay = this.backoffMs();
      this.logger.warn(
        `Replication from ${this.sync!.leaderUrl} failed (retry in ${delay} ms): ${this.lastError}`,
      );
    }
    this.schedule(delay);
  }

  /** The poll interval plus a jittered exponential extra, so a down leader is not hammered. */
  private backoffMs(): number {
    const poll = this.options.replicaPollMs;
    return poll + backoffDelayMs(this.failures - 1, { initialMs: poll, maxMs: REPLICA_MAX_BACKOFF_MS });
  }
}

/** Any thrown value as text: `last_error` is always a string (the original stored raw terms and 500ed). */
function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error));
}
