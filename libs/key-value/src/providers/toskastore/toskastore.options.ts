import { MeshConfigError, positiveMs } from '@toskamesh/common';
import type { ToskaStoreKeyValueOptions } from '../../key-value-options.js';

/** What the ToskaStore provider is built from: its module options plus the store-wide key prefix. */
export type ToskaStoreStoreOptions = ToskaStoreKeyValueOptions & {
  /** Prepended as `<keyPrefix>:` to every key. @default none */
  keyPrefix?: string;
};

/** {@link ToskaStoreStoreOptions} with defaults applied and every value checked. */
export interface ResolvedToskaStoreOptions {
  /** Scheme, host and port of the server. */
  origin: string;
  /** Path the server is mounted under (`''` or `/store`), without a trailing slash. */
  basePath: string;
  authToken?: string;
  enableKeyIndex: boolean;
  keyIndexKey: string;
  timeoutMs: number;
}

const DEFAULT_BASE_URL = 'http://127.0.0.1:4000';
const DEFAULT_TIMEOUT_MS = 5_000;

function baseUrl(raw: string | undefined): URL {
  const text = raw ?? DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new MeshConfigError('keyValue.toskaStore.baseUrl', 'is not an absolute URL', {
      value: text,
      allowed: 'http(s)://host:port[/path]',
      cause,
    });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new MeshConfigError(
      'keyValue.toskaStore.baseUrl',
      'must be an http(s) URL without query or fragment',
      {
        value: text,
        allowed: 'http(s)://host:port[/path]',
      },
    );
  }
  return url;
}

function token(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  // A header value cannot carry line breaks; catching it here beats an undici error on the first call.
  if (typeof value !== 'string' || /[\r\n]/.test(value) || value.trim() !== value) {
    throw new MeshConfigError(
      'keyValue.toskaStore.authToken',
      'must be a single-line string without surrounding spaces',
      {
        value: '<redacted>',
      },
    );
  }
  return value;
}

function indexKey(value: string | undefined): string {
  if (value === undefined) return '__keys';
  if (typeof value !== 'string' || value === '') {
    throw new MeshConfigError('keyValue.toskaStore.keyIndexKey', 'must be a non-empty string', { value });
  }
  return value;
}

/**
 * Applies the defaults of the ToskaStore options; throws `MeshConfigError` naming the bad key. The key
 * prefix is the store's `KeyPrefix`, shared with the other providers.
 */
export function resolveToskaStoreOptions(options: ToskaStoreStoreOptions = {}): ResolvedToskaStoreOptions {
  const url = baseUrl(options.baseUrl);
  const authToken = token(options.authToken);
  const enableKeyIndex = options.enableKeyIndex ?? false;
  if (typeof enableKeyIndex !== 'boolean') {
    throw new MeshConfigError('keyValue.toskaStore.enableKeyIndex', 'must be a boolean', {
      value: enableKeyIndex,
    });
  }
  return {
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    ...(authToken ? { authToken } : {}),
    enableKeyIndex,
    keyIndexKey: indexKey(options.keyIndexKey),
    timeoutMs: positiveMs('keyValue.toskaStore.timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS),
  };
}
