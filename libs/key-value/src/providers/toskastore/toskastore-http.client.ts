import { MeshValidationError, deferredRequire } from '@toskamesh/common';
import {
  CircuitBreakerRegistry,
  RetryBudget,
  execute,
  retry,
  timeout,
  type Call,
  type Interceptor,
  type RetryOptions,
} from '@toskamesh/resilience';
import type { Registry } from 'prom-client';
import type * as Undici from 'undici';
import type { Dispatcher, Pool } from 'undici';
import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import {
  TOSKASTORE_PROVIDER,
  ToskaStoreStatusError,
  isTransientFailure,
  serverMessageOf,
  toKeyValueError,
} from './toskastore-http.errors.js';
import type { ResolvedToskaStoreOptions } from './toskastore.options.js';

/** undici, required when the first ToskaStore client is built rather than when the package is imported. */
const undici = deferredRequire<typeof Undici>(import.meta.url, 'undici');

/** How ToskaStore calls are retried and guarded; every field is optional. */
export interface ToskaStoreResilienceOptions {
  /**
   * Registry holding the per-server breaker (target `toskastore:<baseUrl>`). Pass the app's shared one to see
   * the breaker in its admin API; the store then leaves shutting it down to its owner.
   * @default a registry of the store's own, shut down by `close()`
   */
  breakers?: CircuitBreakerRegistry;
  /** Cap on retries shared with other clients. @default a budget of the store's own (20 % + 10/s) */
  retryBudget?: RetryBudget;
  /** Attempts, back-off and jitter of the retries. @default { maxAttempts: 3, backoff: { initialMs: 50, maxMs: 1000 } } */
  retry?: Pick<RetryOptions, 'maxAttempts' | 'backoff' | 'random'>;
  /** Where the retry and breaker metrics go. @default prom-client's global registry */
  metricsRegistry?: Registry;
}

/** A request as the store describes it; `handles` lists the non-2xx statuses the caller interprets itself. */
interface WireRequest {
  operation: string;
  method: Dispatcher.HttpMethod;
  path: string;
  body?: unknown;
  handles?: readonly number[];
}

/** A ToskaStore answer: status and the parsed JSON body (or the raw text when it is not JSON). */
export interface WireAnswer {
  status: number;
  body: unknown;
}

const DEFAULT_RETRY = { maxAttempts: 3, backoff: { initialMs: 50, maxMs: 1_000 } };

/**
 * The transport of the ToskaStore provider: one keep-alive undici `Pool` to the server, and for every call
 * `retry (with budget) -> per-server circuit breaker -> per-attempt timeout`. The timeout sits inside the
 * breaker so a hanging server opens it, and its signal aborts the socket, not only the wait. Failures
 * leave as typed mesh errors ({@link toKeyValueError}).
 */
export class ToskaStoreHttpClient {
  private readonly pool: Pool;
  private readonly breakers: CircuitBreakerRegistry;
  private readonly ownsBreakers: boolean;
  private readonly retry: Interceptor;
  private readonly target: string;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly options: ResolvedToskaStoreOptions,
    resilience: ToskaStoreResilienceOptions = {},
  ) {
    this.target = `${TOSKASTORE_PROVIDER}:${options.origin}${options.basePath}`;
    this.pool = new (undici().Pool)(options.origin, {
      connections: 32,
      connectTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
    this.ownsBreakers = resilience.breakers === undefined;
    this.breakers =
      resilience.breakers ?? new CircuitBreakerRegistry({ metricsRegistry: resilience.metricsRegistry });
    this.retry = retry({
      ...DEFAULT_RETRY,
      ...resilience.retry,
      retryOn: isTransientFailure,
      budget: resilience.retryBudget ?? new RetryBudget(),
      target: this.target,
      ...(resilience.metricsRegistry ? { metricsRegistry: resilience.metricsRegistry } : {}),
    });
  }

  /** The breaker target of this server, as shown by `CircuitBreakerRegistry.states()`. */
  get breakerTarget(): string {
    return this.target;
  }

  /** Sends `request` through retry, breaker and timeout; resolves for 2xx and the statuses it `handles`. */
  async send(request: WireRequest): Promise<WireAnswer> {
    const interceptors = [
      this.retry,
      this.breakers.breaker(this.target),
      timeout(this.options.timeoutMs, `ToskaStore ${request.operation}`),
    ];
    return this.guarded(request.operation, () =>
      execute((signal) => this.attempt(request, signal), interceptors),
    );
  }

  /**
   * `GET /health` once, with the timeout but without retry or breaker: a health check must report the server
   * as it is now, and must not trip or wait on the breaker that guards real traffic.
   */
  async health(signal?: AbortSignal): Promise<WireAnswer> {
    const request: WireRequest = { operation: 'GET /health', method: 'GET', path: '/health', handles: [503] };
    const call: Call<WireAnswer> = (attemptSignal) => this.attempt(request, attemptSignal);
    return this.guarded(request.operation, () =>
      execute(call, [timeout(this.options.timeoutMs, 'ToskaStore GET /health')], signal),
    );
  }

  /** Closes the pool (in-flight calls finish first) and stops an owned breaker registry. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.ownsBreakers) this.breakers.shutdown();
      await this.pool.close();
    })();
    return this.closing;
  }

  private async guarded(operation: string, run: () => Promise<WireAnswer>): Promise<WireAnswer> {
    if (this.closing) throw new KeyValueUnavailableError(TOSKASTORE_PROVIDER, `${operation} after close()`);
    try {
      return await run();
    } catch (error) {
      throw toKeyValueError(error, operation, this.options.authToken !== undefined);
    }
  }

  private async attempt(request: WireRequest, signal: AbortSignal): Promise<WireAnswer> {
    const response = await this.pool.request({
      path: `${this.options.basePath}${request.path}`,
      method: request.method,
      headers: this.headers(request.body !== undefined),
      body: request.body === undefined ? null : JSON.stringify(request.body),
      signal,
    });
    const body = await readBody(response);
    const { statusCode: status } = response;
    if ((status < 200 || status > 299) && !request.handles?.includes(status)) {
      throw new ToskaStoreStatusError(request.operation, status, serverMessageOf(body));
    }
    return { status, body };
  }

  private headers(withBody: boolean): Record<string, string> {
    return {
      accept: 'application/json',
      // Without it the server ignores the body, and Node's fetch default (text/plain) gets a 415 (§1.1).
      ...(withBody ? { 'content-type': 'application/json' } : {}),
      ...(this.options.authToken ? { authorization: `Bearer ${this.options.authToken}` } : {}),
    };
  }
}

async function readBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text();
  if (text === '') return undefined;
  const type = String(response.headers['content-type'] ?? '');
  if (!/json/i.test(type)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The path segment of `key`: every character but the unreserved ones percent-encoded, `/` included, so a
 * key is always one segment (contract §1.2). `.` and `..` are spelled `%2E` because URL parsers resolve them
 * as dot segments before the server sees them.
 */
export function encodeKeySegment(key: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(key);
  } catch {
    throw new MeshValidationError('key/value key', [
      `${JSON.stringify(key)} is not valid UTF-16 (lone surrogate)`,
    ]);
  }
  return encoded === '.' || encoded === '..' ? encoded.replaceAll('.', '%2E') : encoded;
}
