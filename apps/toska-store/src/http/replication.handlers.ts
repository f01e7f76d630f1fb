import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import type { FollowerStatusSource } from '../replication/follower-status-source.js';
import { KvEngine } from '../store/kv-engine.js';
import { FOLLOWER_STATUS_SOURCE, TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';
import type { Exchange } from './exchange.js';
import { jasonStringify } from './jason-json.js';
import { NESTED_PARAM } from './query-string.js';
import { JSON_TYPE, sendBody, sendJson } from './respond.js';
import { sendSnapshotFile } from './snapshot-stream.js';
import { sendUnavailable } from './store-failure.js';

const OCTET_TYPE = 'application/octet-stream; charset=utf-8';
const DEFAULT_MAX_BYTES = 1_048_576;
const INTEGER = /^[+-]?\d+$/;

/** The `/replication` endpoints (contract §7, §8). */
@Injectable()
export class ReplicationHandlers {
  constructor(
    private readonly engine: KvEngine,
    @Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions,
    @Optional() @Inject(FOLLOWER_STATUS_SOURCE) private readonly follower?: FollowerStatusSource,
  ) {}

  /** `GET /replication/info`: snapshot and AOF metadata. */
  info(exchange: Exchange): void {
    let info;
    try {
      info = this.engine.replicationInfo();
    } catch (error) {
      sendUnavailable(exchange, 'KV store unavailable', error);
      return;
    }
    sendJson(exchange.req, exchange.res, 200, {
      aof_path: info.aofPath,
      aof_size: info.aofSize,
      aof_version: info.aofVersion,
      snapshot_checksum: info.snapshotChecksum,
      snapshot_created_at: info.snapshotCreatedAt,
      snapshot_path: info.snapshotPath,
      snapshot_version: info.snapshotVersion,
    });
  }

  /** `GET /replication/snapshot`: takes a snapshot now (truncating the AOF) and streams the file. */
  async snapshot(exchange: Exchange): Promise<void> {
    let file;
    try {
      file = await this.engine.snapshotNow();
    } catch (error) {
      sendUnavailable(exchange, 'Snapshot unavailable', error);
      return;
    }
    await sendSnapshotFile(exchange, file);
  }

  /** `GET /replication/aof?since=&max_bytes=`: a byte range of the AOF (200), or 204 at its end. */
  async aof(exchange: Exchange): Promise<void> {
    const since = parseOffset(exchange.query.get('since'));
    if (since === undefined) {
      sendJson(exchange.req, exchange.res, 400, { error: 'Invalid offset' });
      return;
    }
    if (since < 0) {
      sendJson(exchange.req, exchange.res, 400, { error: 'Offset must be >= 0' });
      return;
    }
    const rawMax = exchange.query.get('max_bytes');
    const maxBytes =
      typeof rawMax === 'string' && INTEGER.test(rawMax) && Number(rawMax) > 0
        ? Math.min(Number(rawMax), Number.MAX_SAFE_INTEGER)
        : DEFAULT_MAX_BYTES;
    let slice;
    try {
      slice = await this.engine.readAof(since, maxBytes);
    } catch (error) {
      sendUnavailable(exchange, 'AOF unavailable', error);
      return;
    }
    const size = String(slice.size);
    if (since >= slice.size) {
      exchange.res.writeHead(204, ['content-type', OCTET_TYPE, 'x-toska-aof-size', size]);
      exchange.res.end();
      return;
    }
    const headers = ['x-toska-aof-size', size, 'x-toska-aof-offset', String(slice.offset)];
    sendBody(exchange.req, exchange.res, 200, OCTET_TYPE, slice.bytes, headers);
  }

  /**
   * `GET /replication/status`: the follower's status, 404 when this server is not a follower, and 503
   * with a string `reason` for any failure, including a body that cannot be serialized (upstream: 500).
   */
  async status(exchange: Exchange): Promise<void> {
    if (this.follower === undefined || this.options.replicaUrl === '') {
      sendJson(exchange.req, exchange.res, 404, { error: 'Follower not running' });
      return;
    }
    let body: string;
    try {
      const status: unknown = await this.follower.status();
      if (status === undefined || status === null) {
        sendJson(exchange.req, exchange.res, 404, { error: 'Follower not running' });
        return;
      }
      body = jasonStringify(status);
    } catch (error) {
      sendUnavailable(exchange, 'Follower unavailable', error);
      return;
    }
    sendBody(exchange.req, exchange.res, 200, JSON_TYPE, body);
  }
}

/** `since` like upstream's `parse_offset/1`: absent is 0, a whole integer (`+5` too), else invalid. */
function parseOffset(raw: string | typeof NESTED_PARAM | undefined): number | undefined {
  if (raw === undefined) return 0;
  if (raw === NESTED_PARAM || !INTEGER.test(raw)) return undefined;
  return Math.max(Math.min(Number(raw), Number.MAX_SAFE_INTEGER), Number.MIN_SAFE_INTEGER);
}
