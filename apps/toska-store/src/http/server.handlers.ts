import { Injectable } from '@nestjs/common';
import { ServerState } from '../server/server-state.js';
import { KvEngine } from '../store/kv-engine.js';
import type { Exchange } from './exchange.js';
import { homePage } from './home-page.js';
import { sendBody, sendJson } from './respond.js';
import { sendUnavailable } from './store-failure.js';

/** `/`, `/status`, `/health` (never protected) and `/stats` (contract §4). */
@Injectable()
export class ServerHandlers {
  constructor(
    private readonly state: ServerState,
    private readonly engine: KvEngine,
  ) {}

  /** `GET /`: the HTML welcome page. */
  home(exchange: Exchange): void {
    const html = homePage(this.state.statusBody());
    sendBody(exchange.req, exchange.res, 200, 'text/html; charset=utf-8', html);
  }

  /** `GET /status`: always 200. */
  status(exchange: Exchange): void {
    sendJson(exchange.req, exchange.res, 200, this.state.statusBody());
  }

  /** `GET /health`: 200 `healthy`, or 503 while `starting` (the first 500 ms) or stopped. */
  health(exchange: Exchange): void {
    const name = this.state.statusName();
    const status = name === 'running' ? 'healthy' : name === 'starting' ? 'starting' : 'unhealthy';
    const body = { status, timestamp: Date.now(), uptime: this.state.uptimeMs() };
    sendJson(exchange.req, exchange.res, status === 'healthy' ? 200 : 503, body);
  }

  /** `GET /stats`: the engine's metrics with upstream's snake_case names. */
  stats(exchange: Exchange): void {
    let stats;
    try {
      stats = this.engine.stats();
    } catch (error) {
      sendUnavailable(exchange, 'KV store unavailable', error);
      return;
    }
    sendJson(exchange.req, exchange.res, 200, {
      aof_bytes: stats.aofBytes,
      aof_path: stats.aofPath,
      aof_version: stats.aofVersion,
      compaction_aof_bytes: stats.compactionAofBytes,
      compaction_interval_ms: stats.compactionIntervalMs,
      keys: stats.keys,
      last_snapshot_at: stats.lastSnapshotAt,
      last_sync_at: stats.lastSyncAt,
      memory_words: stats.memoryWords,
      snapshot_bytes: stats.snapshotBytes,
      snapshot_checksum: stats.snapshotChecksum,
      snapshot_interval_ms: stats.snapshotIntervalMs,
      snapshot_path: stats.snapshotPath,
      snapshot_version: stats.snapshotVersion,
      sync_interval_ms: stats.syncIntervalMs,
      sync_mode: stats.syncMode,
      ttl_check_interval_ms: stats.ttlCheckIntervalMs,
    });
  }
}
