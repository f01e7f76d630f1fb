import { hash, timingSafeEqual } from 'node:crypto';
import { MeshConfigError } from '@toskamesh/common';
import type { ApiKeyDefinition } from '../config/gateway-options.js';
import type { RequestIdentity } from './request-identity.js';

interface KnownKey {
  readonly digest: Buffer;
  readonly identity: RequestIdentity;
}

/**
 * Finds the configured API key a request presents, in constant time: the presented value and every
 * configured key are compared as SHA-256 digests with `crypto.timingSafeEqual`, so neither the length
 * nor a matching prefix of a key shows in the response time, and every key is compared on every call
 * (no early exit reveals which entry matched).
 */
export class ApiKeyMatcher {
  private readonly keys: readonly KnownKey[];

  constructor(definitions: readonly Required<ApiKeyDefinition>[]) {
    const seen = new Set<string>();
    this.keys = definitions.map((definition, index) => {
      if (typeof definition.key !== 'string' || definition.key.trim() === '') {
        throw new MeshConfigError(`security.apiKeys[${index}].key`, 'must be a non-empty string');
      }
      if (typeof definition.name !== 'string' || definition.name.trim() === '') {
        throw new MeshConfigError(`security.apiKeys[${index}].name`, 'must be a non-empty string');
      }
      if (seen.has(definition.key)) {
        // Never echo the key itself: the message ends up in logs.
        throw new MeshConfigError(`security.apiKeys[${index}].key`, 'repeats an earlier key', {
          allowed: 'one entry per key',
        });
      }
      seen.add(definition.key);
      const identity: RequestIdentity = Object.freeze({
        user: definition.name,
        roles: Object.freeze([...definition.roles]),
        via: 'api-key' as const,
        apiKey: definition.name,
      });
      return { digest: digestOf(definition.key), identity };
    });
  }

  /** True when at least one key is configured. */
  get enabled(): boolean {
    return this.keys.length > 0;
  }

  /** The identity of the key `presented`, or `undefined` when it matches none. */
  match(presented: string): RequestIdentity | undefined {
    const digest = digestOf(presented);
    let found: RequestIdentity | undefined;
    for (const key of this.keys) {
      if (timingSafeEqual(key.digest, digest) && found === undefined) found = key.identity;
    }
    return found;
  }
}

function digestOf(value: string): Buffer {
  return hash('sha256', value, 'buffer');
}
