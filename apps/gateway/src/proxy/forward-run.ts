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
import { AnswerStream } from './answer-stream.js';
import { isPendingBody, prepareRequestBody, type RequestBody } from './replay-buffer.js';
import { writeUpstreamHead } from './response-writer.js';
import { isIdempotentRequest, isRetriableFailure, isRetriableStatus } from './retry-policy.js';
import { frameBody, hashKeyOf, targetPath } from './target-request.js';
import { upstreamRequestHeaders } from './upstream-headers.js';

/** What a {@link ForwardRun} needs from its forwarder. */
export interface ForwardRunDeps {
  readonly engine: ForwardingEngine;
  readonly maxBodyBytes: number;
  readonly onRetry?: (pool: string, reason: string) => void;
}

const ABORTED: AttemptResult = Object.freeze({ outcome: 'aborted' });

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
  private stream: AnswerStream | undefined;
  private affinity: string | undefined;

  constructor(
    private readonly exchange: ProxyExchange,
    private readonly deps: ForwardRunDeps,
  ) {}

  /** The consistent-hash key, read once. */
  private get hashKey(): string {
    const { req, pool, clientIp } = this.exchange;
    return (this.affinity ??= hashKeyOf(req, pool.policy, clientIp));
  }

  async run(): Promise<ForwardResult> {
    const { req, res, pool } = this.exchange;
    if (res.destroyed) return this.gone();
    res.on('error', ignoreError);
    res.once('close', this.onClientClose);
    const policy = pool.policy;
    const replayable = policy.retry.maxRetries > 0 && isIdempotentRequest(req);
    const prepared = prepareRequestBody(req, {
      replayable,
      replayBufferBytes: policy.retry.replayBufferBytes,
      maxBodyBytes: this.deps.maxBodyBytes,
    });
    const body = isPendingBody(prepared) ? await prepared : prepared;
    if (body.kind === 'too-large' || (body.kind === 'streamed' && body.stream?.exceeded === true)) {
      return this.tooLarge();
    }
    if (body.kind === 'aborted' || this.clientGone) return this.gone();
    pool.recordFirstAttempt();
    const headers = upstreamRequestHeaders(req, this.exchange);
    frameBody(headers, body, req.method ?? 'GET');
    const picked = pool.pick({ hashKey: this.hashKey });
    if (picked === undefined)
      return this.answer(
        proxyProblems.noHealthyInstance(pool.name, this.exchange.correlationId),
        'no-instance',
      );
    return this.attemptLoop(picked, headers, body, replayable && body.kind === 'buffered');
  }

  /** Attempts until an answer is committed or a problem written; each step picks the next target or ends. */
  private async attemptLoop(
    first: PickedTarget,
    headers: OutgoingHttpHeaders,
    body: RequestBody,
    retriable: boolean,
  ): Promise<ForwardResult> {
    let picked = first;
    for (;;) {
      this.attempts += 1;
      this.lastTarget = picked.target.id;
      const outcome = await this.send(picked, headers, body);
      const next =
        outcome instanceof Error
          ? this.afterFailure(picked, outcome, body, retriable)
          : this.afterAnswer(picked, outcome, retriable);
      if (!('target' in next)) return next;
      picked = next;
    }
  }

  /** An upstream answered: retry a retriable status elsewhere, else commit the answer to the client. */
  private afterAnswer(
    picked: PickedTarget,
    response: UpstreamResponse,
    retriable: boolean,
  ): PickedTarget | ForwardResult | Promise<ForwardResult> {
    const status = response.status;
    if (retriable && isRetriableStatus(status, this.exchange.pool.policy)) {
      const next = this.nextTarget(picked, `status-${status}`);
      if (next !== undefined) {
        response.discard();
        picked.finish({ outcome: 'failure', kind: 'status', status });
        return next;
      }
    }
    return this.commit(picked, response);
  }

  /** No answer: the breaker refused, the client left, or the attempt failed (maybe retried elsewhere). */
  private afterFailure(
    picked: PickedTarget,
    error: Error,
    body: RequestBody,
    retriable: boolean,
  ): PickedTarget | ForwardResult {
    const { pool, correlationId } = this.exchange;
    if (error instanceof CircuitOpenError) {
      picked.finish(ABORTED);
      return this.answer(
        proxyProblems.circuitOpen(pool.name, error.retryAfterMs, correlationId),
        'breaker-open',
      );
    }
    const failure =
      error instanceof UpstreamFailure
        ? error
        : new UpstreamFailure('reset', error.message, { cause: error });
    if (failure.kind === 'aborted') {
      picked.finish(ABORTED);
      return this.afterAbort(body, failure);
    }
    picked.finish({ outcome: 'failure', kind: failure.kind });
    const next =
      retriable && isRetriableFailure(failure.kind) ? this.nextTarget(picked, failure.kind) : undefined;
    return next ?? this.answerFailure(failure);
  }

  /** Client `close`: before an answer it calls off the attempt; while streaming it ends the exchange. */
  private readonly onClientClose = (): void => {
    if (this.phase === 'attempting') {
      this.clientGone = true;
      this.cancellation.cancel();
    } else if (this.phase === 'streaming') {
      this.phase = 'done';
      this.stream!.clientClosed();
    }
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
      path: targetPath(target, upstreamPath),
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
    const next = pool.pick({ hashKey: this.hashKey, exclude: tried });
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
    return new Promise<ForwardResult>((resolve) => {
      this.stream = new AnswerStream(res, picked, response, (status, end) =>
        resolve(this.result(status, end === 'complete' ? undefined : end)),
      );
      this.stream.start();
    });
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
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
