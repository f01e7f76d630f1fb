import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenAuthenticator } from '../auth/token-authenticator.js';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';
import { RateLimiter } from '../rate-limit/rate-limiter.service.js';
import { TOSKA_STORE_OPTIONS } from '../toska-store.tokens.js';
import { isKvWrite, protectionOf } from './access-policy.js';
import { readBody } from './body-reader.js';
import { classifyContentType, hasParsedBody } from './content-type.js';
import type { Exchange } from './exchange.js';
import { parseJsonBody, type JsonBody } from './json-body.js';
import { parseQuery, type QueryParams } from './query-string.js';
import { answerEarlyAndClose } from './lingering-close.js';
import { sendJson, sendParserError } from './respond.js';
import { ToskaRouter } from './toska.router.js';
import { splitPath } from './request-path.js';

const NO_QUERY: QueryParams = new Map();
const UNSUPPORTED_TYPE = { error: 'Unsupported content-type: send application/json' };
const MALFORMED_JSON = { error: 'Request body is not valid JSON (UTF-8)' };

/**
 * The request pipeline, in upstream's order (contract §1): parser (query, then JSON body) -> auth ->
 * rate limit -> read-only -> routing. The parser's failures (400 malformed JSON, 413, 415) close the
 * connection as Bandit's did, but say what was wrong in a JSON body, like every other answer.
 */
@Injectable()
export class RequestPipeline {
  private readonly logger = new Logger('ToskaHttp');
  private readonly follower: boolean;

  constructor(
    @Inject(TOSKA_STORE_OPTIONS) private readonly options: ToskaStoreOptions,
    private readonly auth: TokenAuthenticator,
    private readonly rateLimiter: RateLimiter,
    private readonly router: ToskaRouter,
  ) {
    this.follower = options.replicaUrl !== '';
  }

  /**
   * Handles one request; never throws (an unexpected failure is logged and answered 500). With
   * `expectsContinue` (`Expect: 100-continue`), `100 Continue` is sent only once the body is wanted, so a
   * body that would get 413 or 415 is never sent at all.
   */
  handle(req: IncomingMessage, res: ServerResponse, expectsContinue = false): void {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    const rawPath = mark === -1 ? url : url.slice(0, mark);
    const query = mark === -1 || mark === url.length - 1 ? NO_QUERY : parseQuery(url.slice(mark + 1));
    if (query === undefined) {
      sendJson(req, res, 400, { error: 'Invalid query string: not valid UTF-8' });
      return;
    }
    const method = req.method ?? 'GET';
    const bodyKind = hasParsedBody(method) ? classifyContentType(req.headers['content-type']) : 'ignore';
    if (bodyKind === 'unsupported') {
      answerEarlyAndClose(req, res, 415, UNSUPPORTED_TYPE);
      return;
    }
    const exchange = { req, res, method, rawPath, segments: splitPath(rawPath), query };
    if (bodyKind === 'json') {
      this.readJsonBody(exchange, expectsContinue);
      return;
    }
    if (expectsContinue) res.writeContinue();
    this.afterParsing({ ...exchange, body: {}, bodyBytes: undefined });
  }

  private readJsonBody(exchange: Omit<Exchange, 'body' | 'bodyBytes'>, expectsContinue: boolean): void {
    const { req, res } = exchange;
    const ready = expectsContinue ? () => res.writeContinue() : undefined;
    readBody(req, this.options.maxBodyBytes, ready).then(
      (read) => {
        if (read.kind === 'too-large') {
          const error = { error: 'Request body too large', max_body_bytes: this.options.maxBodyBytes };
          return answerEarlyAndClose(req, res, 413, error);
        }
        if (read.kind === 'aborted') return void res.destroy();
        const body: JsonBody | undefined = parseJsonBody(read.bytes);
        if (body === undefined) return sendParserError(res, 400, MALFORMED_JSON);
        this.afterParsing({ ...exchange, body, bodyBytes: read.bytes });
      },
      (error: unknown) => this.fail(res, error),
    );
  }

  private afterParsing(exchange: Exchange): void {
    if (!this.admit(exchange)) return;
    try {
      const pending = this.router.dispatch(exchange);
      if (pending) pending.catch((error: unknown) => this.fail(exchange.res, error));
    } catch (error) {
      this.fail(exchange.res, error);
    }
  }

  /** Auth -> rate limit -> read-only, for protected paths only; false once it has answered. */
  private admit(exchange: Exchange): boolean {
    const group = protectionOf(exchange.rawPath, exchange.segments);
    if (group === undefined) return true;
    const { req, res } = exchange;
    if (
      this.auth.required(group) &&
      !this.auth.authorize(group, req.headers.authorization, firstToskaToken(req))
    ) {
      sendJson(req, res, 401, { error: 'Unauthorized' });
      return false;
    }
    if (this.rateLimiter.enabled) {
      const taken = this.rateLimiter.take(req.socket.remoteAddress ?? '');
      if (!taken.allowed) {
        const retryAfter = String(Math.max(1, Math.ceil(taken.retryAfterMs / 1000)));
        sendJson(req, res, 429, { error: 'Rate limit exceeded' }, ['retry-after', retryAfter]);
        return false;
      }
    }
    if (this.follower && isKvWrite(exchange.method, exchange.rawPath, exchange.segments)) {
      sendJson(req, res, 403, { error: 'Read-only follower' });
      return false;
    }
    return true;
  }

  private fail(res: ServerResponse, error: unknown): void {
    this.logger.error(
      `Request failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res.req, res, 500, { error: 'Internal Server Error' });
  }
}

/** Only the first `X-Toska-Token` counts (Node joins repeated ones with ", "). */
function firstToskaToken(req: IncomingMessage): string | undefined {
  const value = req.headers['x-toska-token'];
  if (typeof value !== 'string') return value?.[0];
  if (!value.includes(', ')) return value;
  return req.headersDistinct['x-toska-token']?.[0];
}
