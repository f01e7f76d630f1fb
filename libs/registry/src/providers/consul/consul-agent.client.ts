import { EventEmitter } from 'node:events';
import type Consul from 'consul';
import {
  MeshError,
  MeshTimeoutError,
  MeshValidationError,
  deferredRequire,
  withTimeout,
} from '@toskamesh/common';
import { RegistryAccessDeniedError } from '../../errors/registry-access-denied.error.js';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import type { ResolvedConsulOptions } from './consul.options.js';
import type {
  BlockingQuery,
  BlockingResult,
  ConsulCheck,
  ConsulHealthEntry,
  ConsulService,
  ConsulServiceOptions,
} from './consul.types.js';

/** Provider name in errors and logs. */
export const CONSUL_PROVIDER = 'consul';

/** The `consul` package (its export is the client class), required when the first client is built. */
const consulClass = deferredRequire<typeof Consul>(import.meta.url, 'consul');

type Options = Record<string, unknown>;
type Call = (options: Options) => Promise<unknown>;

/** The parts of the `consul` package used here, with its per-call options (`ctx`, `index`, `wait`) typed loosely. */
interface ConsulApi {
  agent: {
    service: { list: Call; register: Call; deregister: Call };
    check: { list: Call; pass: Call; warn: Call; fail: Call };
  };
  health: { service: Call };
  catalog: { service: { list: Call } };
  destroy(): void;
}

/** What a failed `consul` call carries (papi's `ResponseError`). */
interface ConsulCallError {
  statusCode?: number;
  response?: { body?: unknown };
  message?: string;
}

function bodyText(error: ConsulCallError): string {
  const body = error.response?.body;
  if (typeof body === 'string') return body.trim();
  if (Buffer.isBuffer(body)) return body.toString('utf8').trim();
  return body === undefined ? '' : JSON.stringify(body);
}

/** Consul's answer to a typed mesh error (404s are handled by each call, where they mean "absent"). */
function translate(error: unknown, operation: string): MeshError {
  if (error instanceof MeshTimeoutError) {
    return new RegistryUnavailableError(
      CONSUL_PROVIDER,
      `${operation} timed out after ${error.timeoutMs} ms`,
      error,
    );
  }
  if (error instanceof MeshError) return error;
  const failure = (error ?? {}) as ConsulCallError;
  const text = bodyText(failure);
  switch (failure.statusCode) {
    case undefined:
      return new RegistryUnavailableError(
        CONSUL_PROVIDER,
        `${operation} failed: ${failure.message ?? String(error)}`,
        error,
      );
    case 400:
      return new MeshValidationError(`Consul ${operation}`, [text || 'bad request']);
    case 401:
    case 403:
      return new RegistryAccessDeniedError(
        CONSUL_PROVIDER,
        failure.statusCode,
        `${text || 'ACL denied'} (check consul.token)`,
      );
    default:
      return new RegistryUnavailableError(
        CONSUL_PROVIDER,
        `${operation} answered HTTP ${failure.statusCode}: ${text}`,
        error,
      );
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as ConsulCallError | undefined)?.statusCode;
}

/**
 * The Consul agent's HTTP API through the `consul` package: every call has a time limit (blocking
 * queries add their wait), can be cancelled, and fails with a typed mesh error.
 */
export class ConsulAgentClient {
  private readonly api: ConsulApi;
  private readonly closing = new AbortController();

  constructor(private readonly options: ResolvedConsulOptions) {
    const { url, token } = options;
    const settings = {
      baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}/v1`,
      ...(token ? { defaults: { token } } : {}),
    };
    const ConsulClient = consulClass();
    this.api = new ConsulClient(settings as ConstructorParameters<typeof Consul>[0]) as unknown as ConsulApi;
  }

  /** `PUT /v1/agent/service/register`. */
  async registerService(service: ConsulServiceOptions): Promise<void> {
    await this.request('register service', (o) => this.api.agent.service.register({ ...service, ...o }));
  }

  /** `PUT /v1/agent/service/deregister/<id>`; `false` when the agent does not hold the id. */
  async deregisterService(serviceId: string): Promise<boolean> {
    return this.request(
      'deregister service',
      async (o) => {
        await this.api.agent.service.deregister({ id: serviceId, ...o });
        return true;
      },
      { absent: () => false },
    );
  }

  /** `PUT /v1/agent/check/<verb>/<id>?note=`; `false` when the check is unknown or not a TTL check. */
  async updateTtl(checkId: string, verb: 'pass' | 'warn' | 'fail', note: string): Promise<boolean> {
    return this.request(
      'update TTL check',
      async (o) => {
        await this.api.agent.check[verb]({ id: checkId, note, ...o });
        return true;
      },
      { absent: () => false },
    );
  }

  /** `GET /v1/agent/services`: the services this agent holds, by id. */
  async agentServices(): Promise<Record<string, ConsulService>> {
    return this.request('list agent services', (o) => this.api.agent.service.list(o));
  }

  /** `GET /v1/agent/checks`: this agent's checks, by check id, with the agent's fresh output. */
  async agentChecks(): Promise<Record<string, ConsulCheck>> {
    return this.request('list agent checks', (o) => this.api.agent.check.list(o));
  }

  /** `GET /v1/health/service/<name>` (blocking when `query.index` > 0). */
  async healthService(
    name: string,
    passing: boolean,
    query: BlockingQuery = {},
  ): Promise<BlockingResult<ConsulHealthEntry[]>> {
    return this.blocking('read service health', query, (o) =>
      this.api.health.service({ service: name, ...(passing ? { passing: true } : {}), ...o }),
    );
  }

  /** `GET /v1/catalog/services` (blocking when `query.index` > 0): name -> tags. */
  async catalogServices(query: BlockingQuery = {}): Promise<BlockingResult<Record<string, string[]>>> {
    return this.blocking('list catalog services', query, (o) => this.api.catalog.service.list(o));
  }

  /** Cancels calls in flight and closes pooled connections. */
  close(): void {
    this.closing.abort(new RegistryUnavailableError(CONSUL_PROVIDER, 'the registry was closed'));
    this.api.destroy();
  }

  private async blocking<T>(operation: string, query: BlockingQuery, call: Call): Promise<BlockingResult<T>> {
    const index = query.index ?? 0;
    const waitMs = index > 0 ? (query.waitMs ?? this.options.blockingWaitMs) : 0;
    const datacenter = this.options.datacenter ? { dc: this.options.datacenter } : {};
    const blockingOptions = index > 0 ? { index: String(index), wait: `${waitMs}ms` } : {};
    const [response, body] = await this.request<[{ headers?: Record<string, unknown> }, T]>(
      operation,
      (o) => call({ ...datacenter, ...blockingOptions, ...o }),
      // Consul adds up to wait/16 of jitter to a held query.
      {
        extraMs: waitMs + waitMs / 16,
        withResponse: true,
        ...(query.signal ? { signal: query.signal } : {}),
      },
    );
    const header = Number(response.headers?.['x-consul-index']);
    return { body, index: Number.isFinite(header) ? header : 0 };
  }

  private async request<T>(
    operation: string,
    call: Call,
    extra: { absent?: () => T; extraMs?: number; withResponse?: boolean; signal?: AbortSignal } = {},
  ): Promise<T> {
    if (this.closing.signal.aborted) throw this.closing.signal.reason as Error;
    const timeoutMs = Math.ceil(this.options.timeoutMs + (extra.extraMs ?? 0));
    const parent = extra.signal ? AbortSignal.any([extra.signal, this.closing.signal]) : this.closing.signal;
    try {
      return await withTimeout(
        `Consul ${operation}`,
        timeoutMs,
        (signal) => {
          // papi (under `consul`) cancels a request when its ctx emits "cancel" and returns headers with includeResponse.
          const ctx = Object.assign(new EventEmitter(), { includeResponse: extra.withResponse === true });
          signal.addEventListener('abort', () => ctx.emit('cancel'), { once: true });
          return call({ ctx, timeout: timeoutMs }) as Promise<T>;
        },
        parent,
      );
    } catch (error) {
      if (extra.absent && isAbsent(error)) return extra.absent();
      throw translate(error, operation);
    }
  }
}

/** 404 (unknown id), or 500 "does not have associated TTL" (the id names a check that is not a TTL check). */
function isAbsent(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 404) return true;
  return status === 500 && /does not have associated TTL/.test(bodyText(error as ConsulCallError));
}
