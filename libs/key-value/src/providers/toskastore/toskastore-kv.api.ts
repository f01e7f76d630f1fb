import { KeyValueUnavailableError } from '../../errors/key-value-unavailable.error.js';
import { TOSKASTORE_PROVIDER } from './toskastore-http.errors.js';
import { encodeKeySegment, type ToskaStoreHttpClient, type WireAnswer } from './toskastore-http.client.js';

/** Keys per `POST /kv/mget`: the server has no cap but an 8 MB body limit, and answers carry the values. */
export const MGET_CHUNK = 500;

/**
 * The KV endpoints of ToskaStore (contract §3) over stored (already prefixed) keys and stored text values.
 * Knows the wire shapes and the routing quirks; knows nothing about prefixes, JSON values or the key index.
 */
export class ToskaStoreKvApi {
  constructor(private readonly http: ToskaStoreHttpClient) {}

  /** `GET /kv/:key`: the stored text, or `undefined` on 404 (absent or expired). */
  async get(stored: string): Promise<string | undefined> {
    // `GET /kv/keys` is always the listing route (§1.2), so a key named `keys` is only readable through mget.
    if (stored === 'keys') return (await this.mget([stored])).get(stored);
    const answer = await this.http.send({
      operation: `GET ${JSON.stringify(stored)}`,
      method: 'GET',
      path: kvPath(stored),
      handles: [404],
    });
    if (answer.status === 404) return undefined;
    const value = field(answer, 'value');
    if (typeof value !== 'string') throw malformed(`GET ${JSON.stringify(stored)}`, 'value is not a string');
    return value;
  }

  /**
   * `PUT /kv/:key` with `{"value", "ttl_ms"?}`. `ttlMs` must be a whole number > 0: the server silently
   * stores a fraction as "no expiry" and deletes on <= 0 (§3), so the store resolves TTLs before this.
   */
  async put(stored: string, text: string, ttlMs?: number): Promise<void> {
    await this.http.send({
      operation: `PUT ${JSON.stringify(stored)}`,
      method: 'PUT',
      path: kvPath(stored),
      body: ttlMs === undefined ? { value: text } : { value: text, ttl_ms: ttlMs },
    });
  }

  /** `DELETE /kv/:key`: always 200 upstream, whether the key existed or not. */
  async delete(stored: string): Promise<void> {
    await this.http.send({
      operation: `DELETE ${JSON.stringify(stored)}`,
      method: 'DELETE',
      path: kvPath(stored),
    });
  }

  /** `POST /kv/mget` in chunks of {@link MGET_CHUNK}: the stored text of each key that exists. */
  async mget(stored: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const unique = [...new Set(stored)];
    for (let start = 0; start < unique.length; start += MGET_CHUNK) {
      const chunk = unique.slice(start, start + MGET_CHUNK);
      const answer = await this.http.send({
        operation: `MGET of ${chunk.length} keys`,
        method: 'POST',
        path: '/kv/mget',
        body: { keys: chunk },
      });
      const values = field(answer, 'values');
      if (typeof values !== 'object' || values === null) throw malformed('MGET', 'values is not an object');
      for (const key of chunk) {
        // `values` is keyed by the requested key; own-property checks keep `__proto__` & co. out of the way.
        const value: unknown = Object.hasOwn(values, key) ? (values as Record<string, unknown>)[key] : null;
        if (typeof value === 'string') found.set(key, value);
      }
    }
    return found;
  }

  /**
   * `GET /kv/keys?prefix=&limit=`: up to `limit` stored keys starting with `prefix`, in the server's
   * (unspecified) order. `undefined` when the server has no listing route: an old server answers 404, or
   * treats `keys` as an ordinary key and answers `{"key":"keys","value":...}`.
   */
  async list(prefix: string, limit: number): Promise<string[] | undefined> {
    const answer = await this.http.send({
      operation: `LIST prefix ${JSON.stringify(prefix)}`,
      method: 'GET',
      // Built by hand: Plug decodes `+` in a query as a space, so everything is percent-encoded.
      path: `/kv/keys?prefix=${encodeKeySegment(prefix)}&limit=${limit}`,
      handles: [404],
    });
    if (answer.status === 404) return undefined;
    const keys = field(answer, 'keys');
    if (!Array.isArray(keys)) return undefined;
    return keys.filter((key): key is string => typeof key === 'string');
  }

  /** `GET /health` once; see {@link ToskaStoreHttpClient.health}. */
  health(signal?: AbortSignal): Promise<WireAnswer> {
    return this.http.health(signal);
  }
}

function kvPath(stored: string): string {
  return `/kv/${encodeKeySegment(stored)}`;
}

function field(answer: WireAnswer, name: string): unknown {
  const { body } = answer;
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
}

function malformed(operation: string, problem: string): KeyValueUnavailableError {
  return new KeyValueUnavailableError(TOSKASTORE_PROVIDER, `${operation} got a malformed answer: ${problem}`);
}
