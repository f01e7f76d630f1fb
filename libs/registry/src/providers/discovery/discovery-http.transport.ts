import {
  MeshTimeoutError,
  healthStatusToCode,
  isMeshError,
  withTimeout,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
  deferredRequire,
} from '@toskamesh/common';
import type * as Undici from 'undici';
import type { Dispatcher, Pool } from 'undici';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import type { RegistryChange } from '../../registry-change.js';
import { httpErrorFor } from './discovery-http.errors.js';
import {
  DISCOVERY_PROVIDER,
  decodeWatchMessage,
  decodeWireInstance,
  encodeWireRegistration,
} from './discovery-wire.codec.js';
import type { DiscoveryTransport } from './discovery.transport.js';
import { SseParser } from './sse.parser.js';

/** Required when the first HTTP transport is built, not when the registry package is imported. */
const undici = deferredRequire<typeof Undici>(import.meta.url, 'undici');

/** Settings of {@link DiscoveryHttpTransport}. */
export interface DiscoveryHttpTransportOptions {
  /** Base URL of the discovery service; a path (`/discovery`) prefixes every route. */
  url: URL;
  /** Limit of each request (headers and body); for a watch, of connecting until the headers arrive. */
  timeoutMs: number;
  /** Mesh service token, sent as `Authorization: Bearer` on every request. */
  authToken?: () => string | Promise<string>;
}

const REGISTRATION = '/api/ServiceRegistration';
const DISCOVERY = '/api/ServiceDiscovery';
/** The server sends a keep-alive comment every 15 s; three missed ones mean the connection is dead. */
const WATCH_IDLE_TIMEOUT_MS = 45_000;

interface CallResult {
  found: boolean;
  data: unknown;
}

/**
 * REST + SSE client of the discovery service (`contracts/discovery.md`) on one keep-alive undici `Pool`.
 * Answers are unwrapped from the `{ success, data }` envelope; problem+json errors become typed errors.
 */
export class DiscoveryHttpTransport implements DiscoveryTransport {
  private readonly pool: Pool;
  private readonly basePath: string;

  constructor(private readonly options: DiscoveryHttpTransportOptions) {
    this.pool = new (undici().Pool)(options.url.origin, {
      connections: 64,
      connectTimeout: options.timeoutMs,
      keepAliveTimeout: 10_000,
    });
    this.basePath = options.url.pathname.replace(/\/+$/, '');
  }

  async register(registration: ServiceRegistration & { serviceId: string }): Promise<ServiceInstance> {
    const body = encodeWireRegistration(registration);
    const { data } = await this.call('register', 'POST', `${REGISTRATION}/register`, { body });
    if (data != null) return decodeWireInstance(data);
    // The original may answer success with `data: null`; the stored instance is then read back.
    const stored = await this.instance(registration.serviceId);
    if (!stored) throw new RegistryUnavailableError(DISCOVERY_PROVIDER, 'register answered no instance');
    return stored;
  }

  async deregister(serviceId: string): Promise<boolean> {
    const path = `${REGISTRATION}/deregister/${encodeURIComponent(serviceId)}`;
    return (await this.call('deregister', 'POST', path, { allowNotFound: true })).found;
  }

  async heartbeat(serviceId: string): Promise<void> {
    const path = `${REGISTRATION}/heartbeat/${encodeURIComponent(serviceId)}`;
    const { found } = await this.call('heartbeat', 'POST', path, { allowNotFound: true });
    if (!found) throw new ServiceNotRegisteredError(serviceId);
  }

  async reportHealth(serviceId: string, status: HealthStatus): Promise<void> {
    const path = `${REGISTRATION}/health/${encodeURIComponent(serviceId)}`;
    const body = { status: healthStatusToCode(status) };
    const { found } = await this.call('health', 'POST', path, { body, allowNotFound: true });
    if (!found) throw new ServiceNotRegisteredError(serviceId);
  }

  async updateMetadata(serviceId: string, metadata: Record<string, string>): Promise<ServiceInstance> {
    const path = `${REGISTRATION}/metadata/${encodeURIComponent(serviceId)}`;
    const { found } = await this.call('metadata', 'POST', path, { body: { metadata }, allowNotFound: true });
    const updated = found ? await this.instance(serviceId) : undefined;
    if (!updated) throw new ServiceNotRegisteredError(serviceId);
    return updated;
  }

  async instance(serviceId: string): Promise<ServiceInstance | undefined> {
    const path = `${DISCOVERY}/instances/${encodeURIComponent(serviceId)}`;
    const { found, data } = await this.call('instance', 'GET', path, { allowNotFound: true });
    return found ? decodeWireInstance(data) : undefined;
  }

  async services(): Promise<string[]> {
    const { data } = await this.call('services', 'GET', `${DISCOVERY}/services`);
    if (!Array.isArray(data)) throw malformed('services is not an array');
    return data.filter((name): name is string => typeof name === 'string');
  }

  async instances(serviceName: string, healthyOnly: boolean): Promise<ServiceInstance[]> {
    const path = `${DISCOVERY}/services/${encodeURIComponent(serviceName)}/instances${healthyOnly ? '/healthy' : ''}`;
    // An unknown service is an empty list; a server answering 404 for it means the same.
    const { found, data } = await this.call('instances', 'GET', path, { allowNotFound: true });
    if (!found) return [];
    if (!Array.isArray(data)) throw malformed('instances is not an array');
    return data.map(decodeWireInstance);
  }

  async *watchOnce(
    serviceName: string | undefined,
    fromIndex: number | undefined,
    signal: AbortSignal,
  ): AsyncGenerator<RegistryChange> {
    const resume: Record<string, string> =
      fromIndex === undefined ? {} : { 'last-event-id': String(fromIndex) };
    const headers = await this.headers({
      accept: 'text/event-stream',
      'cache-control': 'no-cache',
      ...resume,
    });
    const query = {
      ...(serviceName ? { service: serviceName } : {}),
      ...(fromIndex === undefined ? {} : { index: String(fromIndex) }),
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.pool.request({
        path: `${this.basePath}${DISCOVERY}/watch`,
        method: 'GET',
        query,
        headers,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: WATCH_IDLE_TIMEOUT_MS,
      });
    } catch (error) {
      throw transportError(error, 'watch');
    }
    try {
      if (response.statusCode !== 200)
        throw httpErrorFor(response.statusCode, await readBody(response), 'watch');
      const parser = new SseParser();
      for await (const chunk of response.body as AsyncIterable<Buffer>) {
        for (const message of parser.push(chunk)) {
          const change = decodeWatchMessage(message);
          if (change) yield change;
        }
      }
    } catch (error) {
      throw transportError(error, 'watch');
    } finally {
      response.body.destroy();
    }
  }

  async close(): Promise<void> {
    if (!this.pool.destroyed) await this.pool.destroy();
  }

  private async call(
    operation: string,
    method: 'GET' | 'POST',
    route: string,
    { body, allowNotFound = false }: { body?: unknown; allowNotFound?: boolean } = {},
  ): Promise<CallResult> {
    const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const headers = await this.headers({ accept: 'application/json', ...json });
    try {
      return await withTimeout(`discovery ${operation}`, this.options.timeoutMs, async (signal) => {
        const response = await this.pool.request({
          path: `${this.basePath}${route}`,
          method,
          headers,
          body: body === undefined ? null : JSON.stringify(body),
          signal,
        });
        const payload = await readBody(response);
        if (response.statusCode === 404 && allowNotFound) return { found: false, data: undefined };
        if (response.statusCode < 200 || response.statusCode > 299) {
          throw httpErrorFor(response.statusCode, payload, operation);
        }
        return { found: true, data: envelopeData(payload, operation) };
      });
    } catch (error) {
      throw transportError(error, operation);
    }
  }

  private async headers(base: Record<string, string>): Promise<Record<string, string>> {
    if (!this.options.authToken) return base;
    return { ...base, authorization: `Bearer ${await this.options.authToken()}` };
  }
}

async function readBody(response: Dispatcher.ResponseData): Promise<unknown> {
  const text = await response.body.text();
  const type = String(response.headers['content-type'] ?? '');
  if (!/json/i.test(type) || text === '') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Unwraps `{ success, data }`; a bare payload (no envelope) is taken as it is. */
function envelopeData(payload: unknown, operation: string): unknown {
  if (typeof payload !== 'object' || payload === null || !('success' in payload)) return payload;
  const envelope = payload as { success: unknown; data?: unknown; message?: unknown };
  if (envelope.success !== true) {
    const message = typeof envelope.message === 'string' ? envelope.message : 'success: false';
    throw new RegistryUnavailableError(DISCOVERY_PROVIDER, `${operation} failed: ${message}`);
  }
  return envelope.data ?? null;
}

/** Keeps typed errors; turns timeouts and socket errors into a retryable {@link RegistryUnavailableError}. */
function transportError(error: unknown, operation: string): unknown {
  if (error instanceof MeshTimeoutError) {
    return new RegistryUnavailableError(
      DISCOVERY_PROVIDER,
      `${operation} timed out after ${error.timeoutMs} ms`,
      error,
    );
  }
  if (isMeshError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RegistryUnavailableError(DISCOVERY_PROVIDER, `${operation} failed: ${message}`, error);
}

function malformed(problem: string): RegistryUnavailableError {
  return new RegistryUnavailableError(DISCOVERY_PROVIDER, `malformed response: ${problem}`);
}
