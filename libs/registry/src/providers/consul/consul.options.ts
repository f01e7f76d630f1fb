import { MeshConfigError } from '@toskamesh/common';
import type { ConsulRegistryOptions } from '../../registry-options.js';

/** {@link ConsulRegistryOptions} with defaults applied and every value checked. */
export interface ResolvedConsulOptions {
  /** Agent base URL without `/v1` and without a trailing slash. */
  url: URL;
  datacenter?: string;
  token?: string;
  timeoutMs: number;
  deregisterCriticalAfterMs: number;
  blockingWaitMs: number;
}

/** Consul caps `?wait=` at 10 minutes. */
const MAX_BLOCKING_WAIT_MS = 600_000;

function positiveInt(
  key: string,
  value: number | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0 || value > max) {
    throw new MeshConfigError(key, 'must be a whole number of milliseconds above 0', {
      value,
      allowed: max === Number.MAX_SAFE_INTEGER ? '1 or more' : `1 to ${max}`,
    });
  }
  return value;
}

function agentUrl(raw: string | undefined): URL {
  const text = raw ?? 'http://127.0.0.1:8500';
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new MeshConfigError('consul.url', 'is not a URL', {
      value: text,
      allowed: 'http(s)://host:port',
      cause,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new MeshConfigError('consul.url', 'must use http or https', {
      value: text,
      allowed: 'http(s)://host:port',
    });
  }
  url.pathname = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return url;
}

function optionalText(key: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '' || /[\r\n]/.test(value)) {
    throw new MeshConfigError(key, 'must be a non-empty single-line string when set', {
      value: key === 'consul.token' ? '<redacted>' : value,
    });
  }
  return value.trim();
}

/** Applies the defaults of {@link ConsulRegistryOptions}; throws `MeshConfigError` naming the bad key. */
export function resolveConsulOptions(options: ConsulRegistryOptions = {}): ResolvedConsulOptions {
  const datacenter = optionalText('consul.datacenter', options.datacenter);
  const token = optionalText('consul.token', options.token);
  return {
    url: agentUrl(options.url),
    ...(datacenter ? { datacenter } : {}),
    ...(token ? { token } : {}),
    timeoutMs: positiveInt('consul.timeoutMs', options.timeoutMs, 5_000),
    deregisterCriticalAfterMs: positiveInt(
      'consul.deregisterCriticalAfterMs',
      options.deregisterCriticalAfterMs,
      60_000,
    ),
    blockingWaitMs: positiveInt(
      'consul.blockingWaitMs',
      options.blockingWaitMs,
      30_000,
      MAX_BLOCKING_WAIT_MS,
    ),
  };
}
