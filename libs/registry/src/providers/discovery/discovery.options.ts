import { MeshConfigError } from '@toskamesh/common';
import type { DiscoveryRegistryOptions } from '../../registry-options.js';

/** {@link DiscoveryRegistryOptions} with defaults applied and checked. */
export interface ResolvedDiscoveryOptions {
  url: string;
  transport: 'http' | 'grpc';
  timeoutMs: number;
  authToken?: () => string | Promise<string>;
}

/** Default of `timeoutMs`. */
export const DEFAULT_DISCOVERY_TIMEOUT_MS = 5000;

const KEY = 'registry.discovery';
const GRPC_ADDRESS = /^(?:https?:\/\/)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?\/?$/;

/** Applies defaults and throws {@link MeshConfigError} naming the bad key, its value and what is allowed. */
export function resolveDiscoveryOptions(options: DiscoveryRegistryOptions): ResolvedDiscoveryOptions {
  const transport = options.transport ?? 'http';
  if (transport !== 'http' && transport !== 'grpc') {
    throw new MeshConfigError(`${KEY}.transport`, 'is not a known transport', {
      value: transport,
      allowed: "'http', 'grpc'",
    });
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_DISCOVERY_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) {
    throw new MeshConfigError(`${KEY}.timeoutMs`, 'must be a positive integer of milliseconds', {
      value: timeoutMs,
    });
  }
  if (options.authToken !== undefined && typeof options.authToken !== 'function') {
    throw new MeshConfigError(`${KEY}.authToken`, 'must be a function returning the service token', {
      value: typeof options.authToken,
    });
  }
  const url = typeof options.url === 'string' ? options.url.trim() : '';
  if (!(transport === 'http' ? isHttpUrl(url) : GRPC_ADDRESS.test(url))) {
    throw new MeshConfigError(`${KEY}.url`, `is not a valid ${transport} address of the discovery service`, {
      value: options.url,
      allowed:
        transport === 'http'
          ? "an http(s) URL such as 'http://127.0.0.1:5010'"
          : "'host:port', 'http://host:port' (no TLS) or 'https://host[:port]' (TLS)",
    });
  }
  return { url, transport, timeoutMs, ...(options.authToken ? { authToken: options.authToken } : {}) };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
