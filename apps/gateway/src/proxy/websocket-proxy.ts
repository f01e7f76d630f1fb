import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { writeRawProblem } from '../http/raw-problem.js';
import type { RequestIdentity } from '../security/request-identity.js';
import type { AttemptResult, PickedTarget, UpstreamPool } from '../upstream/upstream-pool.js';
import { UpstreamFailure, type ForwardingEngine } from './forwarding-engine.js';
import { proxyProblems } from './proxy-problems.js';
import { hashKeyOf, targetPath } from './target-request.js';
import { upstreamRequestHeaders } from './upstream-headers.js';

/** One `Upgrade` request (WebSocket) on its way to a pool. */
export interface WebSocketExchange {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  pool: UpstreamPool;
  upstreamPath: string;
  identity?: RequestIdentity;
  correlationId: string;
  clientIp: string;
  secure: boolean;
}

/** Collaborators of {@link WebSocketProxy}. */
export interface WebSocketProxyDeps {
  readonly engine: ForwardingEngine;
  readonly options: ResolvedGatewayOptions;
}

const ABORTED: AttemptResult = Object.freeze({ outcome: 'aborted' });

function ignoreError(): void {}

/**
 * Tunnels `Upgrade` requests: picks an instance, sends the upgrade with the gateway's forwarding and
 * identity headers (`Upgrade` / `Connection: upgrade` kept), and on `101` pipes the sockets both ways. An
 * instance that cannot be reached is replaced by another one once (within the retry budget); when none
 * answers the client gets a raw `HTTP/1.1 502` (504 on a timeout) problem and its socket is closed.
 * The target stays in flight (for least-connections balancing) until the tunnel closes.
 */
export class WebSocketProxy {
  constructor(private readonly deps: WebSocketProxyDeps) {}

  /** Resolves with the status the client got (101 when tunnelled, 499 when it left first); never rejects. */
  async upgrade(exchange: WebSocketExchange): Promise<number> {
    const { socket, pool } = exchange;
    socket.on('error', ignoreError);
    try {
      return await this.tunnel(exchange);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      writeRawProblem(socket, proxyProblems.upstreamUnavailable(pool.name, why, exchange.correlationId));
      return 502;
    }
  }

  private async tunnel(exchange: WebSocketExchange): Promise<number> {
    const { req, socket, head, pool, correlationId } = exchange;
    const policy = pool.policy;
    const headers = upstreamRequestHeaders(req, exchange);
    const hashKey = hashKeyOf(req, policy, exchange.clientIp);
    pool.recordFirstAttempt();
    let picked = pool.pick({ hashKey });
    if (picked === undefined)
      return writeRawProblem(socket, proxyProblems.noHealthyInstance(pool.name, correlationId));
    let retried = false;
    for (;;) {
      const target = picked.target;
      try {
        const status = await this.deps.engine.upgrade({
          clientRequest: req,
          clientSocket: socket,
          head,
          origin: target.origin,
          path: targetPath(target, exchange.upstreamPath),
          headers,
          connectTimeoutMs: policy.connectTimeoutMs,
          responseTimeoutMs: policy.requestTimeoutMs,
        });
        finishWhenClosed(picked, status, socket);
        return status;
      } catch (error) {
        const failure =
          error instanceof UpstreamFailure ? error : new UpstreamFailure('reset', String(error));
        if (failure.kind === 'aborted') {
          picked.finish(ABORTED);
          socket.destroy();
          return 499;
        }
        picked.finish({ outcome: 'failure', kind: failure.kind });
        if (failure.kind === 'connect' && !retried) {
          const next = anotherTarget(pool, picked, hashKey);
          if (next !== undefined) {
            retried = true;
            picked = next;
            continue;
          }
        }
        const problem =
          failure.kind === 'timeout'
            ? proxyProblems.upstreamTimeout(pool.name, policy.requestTimeoutMs, correlationId)
            : proxyProblems.upstreamUnavailable(pool.name, failure.message, correlationId);
        return writeRawProblem(socket, problem);
      }
    }
  }
}

/** A 101 holds its target until the tunnel closes; any other answer is over at once. */
function finishWhenClosed(picked: PickedTarget, status: number, socket: Duplex): void {
  const result: AttemptResult =
    status >= 500 ? { outcome: 'failure', kind: 'status', status } : { outcome: 'success', status };
  if (status !== 101 || socket.destroyed) picked.finish(result);
  else socket.once('close', () => picked.finish(result));
}

function anotherTarget(pool: UpstreamPool, failed: PickedTarget, hashKey: string): PickedTarget | undefined {
  const exclude = new Set([failed.target.id]);
  const next = pool.pick({ hashKey, exclude });
  if (next === undefined) return undefined;
  if (exclude.has(next.target.id) || !pool.tryRetry()) {
    next.finish(ABORTED);
    return undefined;
  }
  return next;
}
