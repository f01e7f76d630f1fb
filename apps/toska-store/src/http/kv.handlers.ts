import { Inject, Injectable } from '@nestjs/common';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { KvEngine } from '../store/kv-engine.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';
import type { Exchange } from './exchange.js';
import { jasonStringify } from './jason-json.js';
import { numberSources } from './json-body.js';
import { keyFromSegment } from './key-segment.js';
import { mgetKeys } from './mget-keys.js';
import { NESTED_PARAM } from './query-string.js';
import { JSON_TYPE, sendBody, sendJson } from './respond.js';
import { sendUnavailable } from './store-failure.js';
import { parseTtl } from './ttl.js';

const STORE_UNAVAILABLE = 'KV store unavailable';
const DEFAULT_LIMIT = 100;
const LIMIT = /^[+-]?\d+$/;

/** The `/kv` endpoints (contract §3). Response bodies keep Jason's sorted small-map field order. */
@Injectable()
export class KvHandlers {
  constructor(
    private readonly engine: KvEngine,
    @Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions,
  ) {}

  /** `GET /kv/:key`: 200 `{"key","value"}` or 404 `{"error":"Not Found","key"}`. */
  get(exchange: Exchange, segment: string): void {
    const key = keyFromSegment(exchange, segment, this.options.maxKeyBytes);
    if (key === undefined) return;
    let entry;
    try {
      entry = this.engine.get(key);
    } catch (error) {
      sendUnavailable(exchange, STORE_UNAVAILABLE, error);
      return;
    }
    const quotedKey = jasonStringify(key);
    if (entry === undefined) {
      sendBody(exchange.req, exchange.res, 404, JSON_TYPE, `{"error":"Not Found","key":${quotedKey}}`);
    } else {
      const body = `{"key":${quotedKey},"value":${jasonStringify(entry.value)}}`;
      sendBody(exchange.req, exchange.res, 200, JSON_TYPE, body);
    }
  }

  /** `PUT /kv/:key` with `{"value": string, "ttl_ms"?}`: 200 `{"key","ok":true}` once in the AOF. */
  async put(exchange: Exchange, segment: string): Promise<void> {
    const key = keyFromSegment(exchange, segment, this.options.maxKeyBytes);
    if (key === undefined) return;
    const { value, ttl_ms: rawTtl } = exchange.body;
    if (typeof value !== 'string') {
      sendJson(exchange.req, exchange.res, 400, { error: 'Value must be a string' });
      return;
    }
    const ttl = parseTtl(rawTtl, typeof rawTtl === 'number' ? this.ttlSource(exchange) : undefined);
    if (!ttl.ok) {
      sendJson(exchange.req, exchange.res, 400, { error: 'Invalid ttl_ms' });
      return;
    }
    try {
      await this.engine.put(key, value, ttl.ttlMs);
    } catch (error) {
      sendUnavailable(exchange, STORE_UNAVAILABLE, error);
      return;
    }
    sendBody(exchange.req, exchange.res, 200, JSON_TYPE, `{"key":${jasonStringify(key)},"ok":true}`);
  }

  /** `DELETE /kv/:key`: always 200 `{"key","ok":true}` (a `del` record is logged either way). */
  async delete(exchange: Exchange, segment: string): Promise<void> {
    const key = keyFromSegment(exchange, segment, this.options.maxKeyBytes);
    if (key === undefined) return;
    try {
      await this.engine.delete(key);
    } catch (error) {
      sendUnavailable(exchange, STORE_UNAVAILABLE, error);
      return;
    }
    sendBody(exchange.req, exchange.res, 200, JSON_TYPE, `{"key":${jasonStringify(key)},"ok":true}`);
  }

  /** `POST /kv/mget` with `{"keys": [...]}`: 200 `{"values": {key: value | null}}`. */
  mget(exchange: Exchange): void {
    const keys = mgetKeys(exchange.body.keys, exchange.bodyBytes);
    if (!keys.ok) {
      sendJson(exchange.req, exchange.res, 400, { error: keys.error });
      return;
    }
    let found: Map<string, string | null>;
    try {
      found = this.engine.mget(keys.lookups);
    } catch (error) {
      sendUnavailable(exchange, STORE_UNAVAILABLE, error);
      return;
    }
    const values: string[] = [];
    for (const [key, lookedUp] of keys.entries) {
      const value = lookedUp ? (found.get(key) ?? null) : null;
      values.push(`${jasonStringify(key)}:${value === null ? 'null' : jasonStringify(value)}`);
    }
    sendBody(exchange.req, exchange.res, 200, JSON_TYPE, `{"values":{${values.join(',')}}}`);
  }

  /** `GET /kv/keys?prefix=&limit=`: 200 `{"keys":[...]}`, at most `limit` (default 100, no maximum). */
  list(exchange: Exchange): void {
    const prefix = exchange.query.get('prefix') ?? '';
    if (prefix === NESTED_PARAM) {
      sendJson(exchange.req, exchange.res, 400, { error: 'Invalid prefix' });
      return;
    }
    const rawLimit = exchange.query.get('limit');
    const limit =
      typeof rawLimit === 'string' && LIMIT.test(rawLimit) && Number(rawLimit) >= 0
        ? Math.min(Number(rawLimit), Number.MAX_SAFE_INTEGER)
        : DEFAULT_LIMIT;
    let keys: string[];
    try {
      keys = this.engine.keys(prefix, limit);
    } catch (error) {
      sendUnavailable(exchange, STORE_UNAVAILABLE, error);
      return;
    }
    sendBody(exchange.req, exchange.res, 200, JSON_TYPE, `{"keys":${jasonStringify(keys)}}`);
  }

  private ttlSource(exchange: Exchange): string | undefined {
    if (exchange.bodyBytes === undefined) return undefined;
    const { root, sources } = numberSources(exchange.bodyBytes.toString('utf8'));
    return typeof root === 'object' && root !== null ? sources.get(root)?.get('ttl_ms') : undefined;
  }
}
