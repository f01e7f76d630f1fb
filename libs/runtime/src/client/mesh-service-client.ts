import { isMeshError, type ServiceInstance } from '@toskamesh/common';
import type { LoadBalancerRegistry } from '@toskamesh/load-balancing';
import {
  execute,
  isConnectionError,
  timeout,
  type CircuitBreakerRegistry,
  type RetryBudgetRegistry,
} from '@toskamesh/resilience';
import type { Dispatcher } from 'undici';
import { NoHealthyInstanceError } from '../errors/no-healthy-instance.error.js';
import { UpstreamStatusError } from '../errors/upstream-status.error.js';
import type { InstanceDirectory } from './instance-directory.js';
import { IDEMPOTENT_METHODS, type MeshRequest, type MeshResponse } from './mesh-request.js';

/** What a {@link MeshServiceClient} is built from (shared by every service's client). */
export interface MeshServiceClientDeps {
  directory: InstanceDirectory;
  balancers: LoadBalancerRegistry;
  breakers: CircuitBreakerRegistry;
  retries: RetryBudgetRegistry;
  dispatcher: Dispatcher;
  /** Adds the service token, trace context and correlation id. */
  outboundHeaders: (headers: Record<string, string>) => Promise<void>;
  timeoutMs: number;
  /** Attempts on other instances after a failed one. */
  extraAttempts: number;
}

/**
 * Calls one service: healthy instances from the watched directory -> load balancer (skipping instances
 * already tried) -> per-service circuit breaker -> retry with budget on connection failures -> total
 * timeout. Throws {@link UpstreamStatusError} for non-2xx answers and {@link NoHealthyInstanceError}.
 */
export class MeshServiceClient {
  constructor(
    readonly serviceName: string,
    private readonly deps: MeshServiceClientDeps,
  ) {}

  get<T = unknown>(path: string, options: Omit<MeshRequest, 'method' | 'path'> = {}): Promise<T> {
    return this.request<T>({ ...options, method: 'GET', path }).then((response) => response.body);
  }

  post<T = unknown>(
    path: string,
    body?: unknown,
    options: Omit<MeshRequest, 'method' | 'path' | 'body'> = {},
  ): Promise<T> {
    return this.request<T>({ ...options, method: 'POST', path, body }).then((response) => response.body);
  }

  put<T = unknown>(
    path: string,
    body?: unknown,
    options: Omit<MeshRequest, 'method' | 'path' | 'body'> = {},
  ): Promise<T> {
    return this.request<T>({ ...options, method: 'PUT', path, body }).then((response) => response.body);
  }

  delete<T = unknown>(path: string, options: Omit<MeshRequest, 'method' | 'path'> = {}): Promise<T> {
    return this.request<T>({ ...options, method: 'DELETE', path }).then((response) => response.body);
  }

  /** Sends `request` and returns the whole answer. */
  request<T = unknown>(request: MeshRequest): Promise<MeshResponse<T>> {
    const method = request.method.toUpperCase();
    const tried = new Set<string>();
    const target = `service:${this.serviceName}`;
    const retryOn = (error: unknown) => canRetry(method, error);
    return execute<MeshResponse<T>>(
      (signal) => this.attempt<T>({ ...request, method }, tried, signal),
      [
        timeout(request.timeoutMs ?? this.deps.timeoutMs, `${method} ${this.serviceName}${request.path}`),
        this.deps.retries.retry(target, { maxAttempts: 1 + this.deps.extraAttempts, retryOn }),
        this.deps.breakers.breaker(target),
      ],
      request.signal,
    );
  }

  private async attempt<T>(
    request: MeshRequest,
    tried: Set<string>,
    signal: AbortSignal,
  ): Promise<MeshResponse<T>> {
    const instances = await this.deps.directory.healthy(this.serviceName, 2000);
    if (instances.length === 0) throw new NoHealthyInstanceError(this.serviceName);
    const balancer = this.deps.balancers.forService(this.serviceName, instances);
    const instance = balancer.pick(instances, { exclude: tried, hashKey: request.hashKey })!;
    tried.add(instance.serviceId);
    const release = this.deps.balancers.inFlight.acquire(instance.serviceId);
    try {
      return await this.send<T>(instance, request, signal);
    } finally {
      release();
    }
  }

  private async send<T>(
    instance: ServiceInstance,
    request: MeshRequest,
    signal: AbortSignal,
  ): Promise<MeshResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...lowerCaseKeys(request.headers) };
    const body = encodeBody(request.body, headers);
    await this.deps.outboundHeaders(headers);
    const response = await this.deps.dispatcher.request({
      origin: `${instance.scheme}://${formatHost(instance.address)}:${instance.port}`,
      path: request.path.startsWith('/') ? request.path : `/${request.path}`,
      method: request.method as Dispatcher.HttpMethod,
      headers,
      body,
      signal,
    });
    const parsed = await decodeBody(response);
    if (response.statusCode < 200 || response.statusCode >= 300) {
      throw new UpstreamStatusError(
        this.serviceName,
        response.statusCode,
        parsed,
        request.method,
        request.path,
      );
    }
    return { status: response.statusCode, headers: response.headers, body: parsed as T, instance };
  }
}

/** Connection failures before a response may be repeated; refused connections even for POST. */
function canRetry(method: string, error: unknown): boolean {
  if (isMeshError(error) && error.code === 'MESH_RUNTIME_UPSTREAM_STATUS') {
    return IDEMPOTENT_METHODS.has(method) && error.retryable;
  }
  if (!isConnectionError(error)) return false;
  return IDEMPOTENT_METHODS.has(method) || errorCode(error) === 'ECONNREFUSED';
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function encodeBody(body: unknown, headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

async function decodeBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const type = String(response.headers['content-type'] ?? '');
  const text = await response.body.text();
  if (text && /[/+]json\b/.test(type)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function lowerCaseKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}

function formatHost(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}
