import { Injectable } from '@nestjs/common';
import type { Exchange } from './exchange.js';
import { KvHandlers } from './kv.handlers.js';
import { ReplicationHandlers } from './replication.handlers.js';
import { sendBody, JSON_TYPE } from './respond.js';
import { jasonStringify } from './jason-json.js';
import { ServerHandlers } from './server.handlers.js';
import { decodeSegment } from './request-path.js';

/**
 * Routes on the path segments, in Plug.Router's order (contract §1.2): `GET /kv/keys` is always the
 * listing and `POST /kv/mget` always mget, while other methods on them address keys named `keys` and
 * `mget`. There is no 405: anything unmatched, HEAD included, is the 404 catch-all with the raw path.
 */
@Injectable()
export class ToskaRouter {
  constructor(
    private readonly kv: KvHandlers,
    private readonly server: ServerHandlers,
    private readonly replication: ReplicationHandlers,
  ) {}

  /** Runs the matching handler (its promise, if it is async). */
  dispatch(exchange: Exchange): void | Promise<void> {
    const { method, segments } = exchange;
    const first = segments.length === 0 ? '' : routeName(segments[0]!);
    if (segments.length === 2 && first === 'kv') return this.kvRoute(exchange, method, segments[1]!);
    if (method === 'GET') {
      if (segments.length === 0) return this.server.home(exchange);
      if (segments.length === 1) {
        if (first === 'status') return this.server.status(exchange);
        if (first === 'health') return this.server.health(exchange);
        if (first === 'stats') return this.server.stats(exchange);
      } else if (segments.length === 2 && first === 'replication') {
        const name = routeName(segments[1]!);
        if (name === 'info') return this.replication.info(exchange);
        if (name === 'snapshot') return this.replication.snapshot(exchange);
        if (name === 'aof') return this.replication.aof(exchange);
        if (name === 'status') return this.replication.status(exchange);
      }
    }
    return notFound(exchange);
  }

  private kvRoute(exchange: Exchange, method: string, segment: string): void | Promise<void> {
    if (method === 'GET') {
      return routeName(segment) === 'keys' ? this.kv.list(exchange) : this.kv.get(exchange, segment);
    }
    if (method === 'POST') return routeName(segment) === 'mget' ? this.kv.mget(exchange) : notFound(exchange);
    if (method === 'PUT') return this.kv.put(exchange, segment);
    if (method === 'DELETE') return this.kv.delete(exchange, segment);
    return notFound(exchange);
  }
}

/** A segment as Plug.Router compares it: percent-decoded (so `/%6Bv/%6Beys` is `/kv/keys`). */
function routeName(segment: string): string | undefined {
  return segment.includes('%') ? decodeSegment(segment) : segment;
}

function notFound(exchange: Exchange): void {
  // Node gives the raw path as latin1; show it as the UTF-8 the client sent.
  const path = /[\u0080-\u00ff]/.test(exchange.rawPath)
    ? Buffer.from(exchange.rawPath, 'latin1').toString('utf8')
    : exchange.rawPath;
  const body = `{"error":"Not Found","path":${jasonStringify(path)}}`;
  sendBody(exchange.req, exchange.res, 404, JSON_TYPE, body);
}
