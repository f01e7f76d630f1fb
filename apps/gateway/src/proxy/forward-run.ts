import type { OutgoingHttpHeaders } from 'node:http';
import { CircuitOpenError } from '@toskamesh/resilience';
import type { GatewayProblem } from '../http/problem.js';
import { writeProblem } from '../http/problem.js';
import type { AttemptResult, PickedTarget } from '../upstream/upstream-pool.js';
import {
  AttemptCancellation,
  UpstreamFailure,
  type ForwardingEngine,
  type UpstreamRequest,
  type UpstreamResponse,
} from './forwarding-engine.js';
import type { ForwardResult, ProxyExchange } from './proxy-exchange.js';
import { proxyProblems } from './proxy-problems.js';
import { isPendingBody, prepareRequestBody, type RequestBody } from './replay-buffer.js';
import { writeUpstreamHead } from './response-writer.js';
import { isIdempotentRequest, isRetriableFailure, isRetriableStatus } from './retry-policy.js';
import { upstreamRequestHeaders } from './upstream-headers.js';

/** What a {@link ForwardRun} needs from its forwarder. */
export interface ForwardRunDeps {
  readonly engine: ForwardingEngine;
  readonly maxBodyBytes: number;
  readonly onRetry?: (pool: string, reason: string) => void;
}

const ABORTED: AttemptResult = Object.freeze({ outcome: 'aborted' });

/** Methods for which Node does not chunk a body of unknown length by itself. */
const NOT_CHUNKED_BY_DEFAULT: ReadonlySet<string> = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS', 'TRACE']);

function isServerError(response: UpstreamResponse): boolean {
  return response.status >= 500;
}

function ignoreError(): void {}

/**
 * One client request through the forwarder: body preparation, the attempt loop (pick, breaker, send,
 * retry) and, once an upstream answer is committed, streaming it to the client until either side ends.
 * Phases: `attempting` (nothing written; retries possible) -> `streaming` (the client has the status
 * line; no retry ever) -> `done`. Every picked target is finished exactly once.
 */
export class ForwardRun {
  private phase: 'attempting' | 'streaming' | 'done' = 'attempting';
  private attempts = 0;
  private retries = 0;
  private tried: Set<string> | undefined;
  private lastTarget: string | undefined;
  private retryRefused = false;
  private clientGone = false;
  private readonly cancellation = new AttemptCancellation();
  private current: PickedTarget | undefined;
  private response: UpstreamResponse | undefined;
  private upstreamBroken = false;
  private resolveStreamed: ((result: ForwardResult) => void) | undefined;

  constructor(
    private readonly exchange: ProxyExchange,
    private readonly deps: ForwardRunDeps,
  ) {}

  async run(): Promise<ForwardResult> {
    const { req, res, pool } = this.exchange;
    if (res.destroyed) return this.gone();
    res.on('error', ignoreError);
    res.once('close', this.onClientClose);
    const policy = pool.policy;
    const replayable = policy.retry.maxRetries > 0 && isIdempotentRequest(req);
    const limits = {
      replayable,
      replayBufferBytes: policy.retry.replayBufferBytes,
      maxBodyBytes: this.deps.maxBodyBytes,
    };
    const prepared = prepareRequestBody(req, limits);
    const body = isPendingBody(prepared) ? await prepared : prepared;
    if (body.kind === 'too-large' || (body.kind === 'streamed' && body.stream?.exceeded === true)) {
      return this.tooLarge();
    }
    if (body.kind === 'aborted' || this.clientGone) return this.gone();
    pool.recordFirstAttempt();
    const headers = upstreamRequestHeaders(req, this.exchange);
    this.frameBody(headers, body);
    let picked = pool.pick({ hashKey: this.hashKey() });
    if (picked === undefined)
      return this.answer(
        proxyProblems.noHealthyInstance(pool.name, this.exchange.correlationId),
        'no-instance',
      );
    const retriable = replayable && body.kind === 'buffered';
    for (;;) {
      this.attempts += 1;
      this.lastTarget = picked.target.id;
      const outcome = await this.send(picked, headers, body);
      if (!(outcome instanceof Error)) {
        if (retriable && isRetriableStatus(outcome.status, policy)) {
          const next = this.nextTarget(picked, `status-${outcome.status}`);
          if (next !== undefined) {
            outcome.discard();
            picked.finish({ outcome: 'failure', kind: 'status', status: outcome.status });
            picked = next;
            continue;
          }
        }
        return this.commit(picked, outcome);
      }
      if (outcome instanceof CircuitOpenError) {
        picked.finish(ABORTED);
        const problem = proxyProblems.circuitOpen(
          pool.name,
          outcome.retryAfterMs,
          this.exchange.correlationId,
        );
        return this.answer(problem, 'breaker-open');
      }
      const failure =
        outcome instanceof UpstreamFailure
          ? outcome
          : new UpstreamFailure('reset', outcome.message, { cause: outcome });
      if (failure.kind === 'aborted') {
        picked.finish(ABORTED);
        return this.afterAbort(body, failure);
      }
      picked.finish({ outcome: 'failure', kind: failure.kind });
      if (retriable && isRetriableFailure(failure.kind)) {
        const next = this.nextTarget(picked, failure.kind);
        if (next !== undefined) {
          picked = next;
          continue;
        }
      }
      return this.answerFailure(failure);
    }
  }

  /** Client `close`: before an answer it calls off the attempt; while streaming it ends the exchange. */
  private readonly onClientClose = (): void => {
    if (this.phase === 'attempting') {
      this.clientGone = true;
      this.cancellation.cancel();
      return;
    }
    if (this.phase !== 'streaming') return;
    this.phase = 'done';
    const response = this.response!;
    const completed = this.exchange.res.writableFinished;
    if (!completed && !response.body.readableEnded) response.body.destroy();
    const status = response.status;
    let result: AttemptResult;
    let failure: ForwardResult['failure'];
    if (this.upstreamBroken) {
      result = { outcome: 'failure', kind: 'reset' };
      failure = 'reset';
    } else if (!completed) {
      result = ABORTED;
      failure = 'aborted';
    } else {
      result =
        status >= 500 ? { outcome: 'failure', kind: 'status', status } : { outcome: 'success', status };
    }
    this.current!.finish(result);
    this.resolveStreamed!(this.result(status, failure));
  };

  /** Upstream body `close`: without its end the upstream broke off, so the client's answer is cut too. */
  private readonly onUpstreamClose = (): void => {
    if (this.phase !== 'streaming' || this.response!.body.readableEnded) return;
    this.upstreamBroken = true;
    this.exchange.res.destroy();
  };

  private send(
    picked: PickedTarget,
    headers: OutgoingHttpHeaders,
    body: RequestBody,
  ): Promise<UpstreamResponse | Error> {
    const { req, pool, upstreamPath } = this.exchange;
    const target = picked.target;
    const policy = pool.policy;
    const request: UpstreamRequest = {
      clientRequest: req,
      origin: target.origin,
      method: req.method ?? 'GET',
      path: target.basePath === '' ? upstreamPath : joinPath(target.basePath, upstreamPath),
      headers,
      body: body.kind === 'buffered' ? body.body : undefined,
      bodyStream: body.kind === 'streamed' ? body.stream : undefined,
      connectTimeoutMs: policy.connectTimeoutMs,
      requestTimeoutMs: policy.requestTimeoutMs,
      cancellation: this.cancellation,
    };
    const engine = this.deps.engine;
    return pool.throughBreaker(() => engine.send(request), isServerError).catch(asError);
  }

  /** Another target for a retry, or `undefined` (no retries left, none untried, budget spent, client gone). */
  private nextTarget(current: PickedTarget, reason: string): PickedTarget | undefined {
    const pool = this.exchange.pool;
    if (this.clientGone || this.retries >= pool.policy.retry.maxRetries) return undefined;
    const tried = (this.tried ??= new Set());
    tried.add(current.target.id);
    const next = pool.pick({ hashKey: this.hashKey(), exclude: tried });
    if (next === undefined) return undefined;
    if (tried.has(next.target.id)) {
      next.finish(ABORTED);
      return undefined;
    }
    if (!pool.tryRetry()) {
      next.finish(ABORTED);
      this.retryRefused = true;
      return undefined;
    }
    this.retries += 1;
    this.deps.onRetry?.(pool.name, reason);
    return next;
  }

  private commit(picked: PickedTarget, response: UpstreamResponse): Promise<ForwardResult> | ForwardResult {
    if (this.clientGone) {
      response.discard();
      picked.finish(ABORTED);
      return this.gone();
    }
    const { res, pool, correlationId } = this.exchange;
    try {
      writeUpstreamHead(res, response);
    } catch (error) {
      response.discard();
      picked.finish({ outcome: 'failure', kind: 'status', status: 502 });
      return this.answer(
        proxyProblems.badUpstreamResponse(pool.name, (error as Error).message, correlationId),
        'reset',
      );
    }
    this.phase = 'streaming';
    this.current = picked;
    this.response = response;
    const body = response.body;
    // No 'error' listener on the body: Node's IncomingMessage drops its errors when nobody listens, and its
    // 'close' (below) tells whether it ended.
    body.once('close', this.onUpstreamClose);
    const streamed = new Promise<ForwardResult>((resolve) => {
      this.resolveStreamed = resolve;
    });
    body.pipe(res);
    return streamed;
  }

  private afterAbort(body: RequestBody, failure: UpstreamFailure): ForwardResult {
    if (body.kind === 'streamed' && body.stream?.exceeded === true) return this.tooLarge();
    if (this.clientGone) return this.gone();
    return this.answer(proxyProblems.unsendableRequest(failure.message, this.exchange.correlationId));
  }

  private answerFailure(failure: UpstreamFailure): ForwardResult {
    const { pool, correlationId } = this.exchange;
    if (failure.kind === 'timeout') {
      return this.answer(
        proxyProblems.upstreamTimeout(pool.name, pool.policy.requestTimeoutMs, correlationId),
        'timeout',
      );
    }
    const kind = failure.kind === 'connect' ? 'connect' : 'reset';
    const problem = proxyProblems.upstreamUnavailable(pool.name, failure.message, correlationId);
    return this.answer(problem, this.retryRefused ? 'retry-budget' : kind);
  }

  private tooLarge(): ForwardResult {
    return this.answer(
      proxyProblems.bodyTooLarge(this.deps.maxBodyBytes, this.exchange.correlationId),
      'body-too-large',
    );
  }

  /** Answers with a problem unless the client is gone; closes the connection when its body was not read. */
  private answer(problem: GatewayProblem, failure?: ForwardResult['failure']): ForwardResult {
    this.phase = 'done';
    if (this.clientGone) return this.gone();
    const { req, res } = this.exchange;
    writeProblem(res, problem, req.complete ? {} : { connection: 'close' });
    return this.result(problem.status, failure);
  }

  private gone(): ForwardResult {
    this.phase = 'done';
    return this.result(499, 'aborted');
  }

  private result(status: number, failure: ForwardResult['failure']): ForwardResult {
    const result: ForwardResult = { status, attempts: this.attempts, retries: this.retries };
    if (this.lastTarget !== undefined) result.targetId = this.lastTarget;
    if (failure !== undefined) result.failure = failure;
    return result;
  }

  /** Explicit framing for the body as it will be sent (the client's `Transfer-Encoding` is hop-by-hop). */
  private frameBody(headers: OutgoingHttpHeaders, body: RequestBody): void {
    if (body.kind === 'buffered') {
      if (body.body.length > 0) headers['content-length'] = String(body.body.length);
    } else if (body.kind === 'streamed' && body.stream !== undefined) {
      if (NOT_CHUNKED_BY_DEFAULT.has(this.exchange.req.method ?? 'GET'))
        headers['transfer-encoding'] = 'chunked';
    }
  }

  /** The consistent-hash key: the first of the policy's hash headers present, else the client IP. */
  private hashKey(): string {
    const { req, pool, clientIp } = this.exchange;
    for (const name of pool.policy.hashHeaders) {
      const value = req.headers[name];
      if (typeof value === 'string' && value !== '') return value;
    }
    return clientIp;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function joinPath(basePath: string, path: string): string {
  return basePath.endsWith('/') ? basePath + path.slice(1) : basePath + path;
}
