import { MeshConfigError } from '@toskamesh/common';
import type { RedisNodeAddress } from '../../key-value-options.js';
import type { ResolvedRedisOptions } from '../../key-value-options.validation.js';

/** Credentials of the data nodes. */
interface RedisAuth {
  username?: string;
  password?: string;
}

/** How to connect, decided from the options before any socket opens (unit-testable). */
export type RedisConnectionPlan =
  | { mode: 'standalone'; url: string }
  | ({ mode: 'cluster'; nodes: RedisNodeAddress[] } & RedisAuth)
  | ({
      mode: 'sentinel';
      sentinels: RedisNodeAddress[];
      name: string;
      database?: number;
      sentinelPassword?: string;
    } & RedisAuth);

const URL_KEY = 'keyValue.redis.url';
const URL_FORMS =
  'redis://[user:pass@]host:port[/db], rediss://..., redis-cluster://[user:pass@]h1:7000,h2:7001 or ' +
  'redis-sentinel://[user:pass@]s1:26379,s2:26379/<primary name>[/db]';

/** Chooses standalone, Cluster or Sentinel from `cluster`, `sentinel` or the URL scheme. */
export function planRedisConnection(options: ResolvedRedisOptions): RedisConnectionPlan {
  if (options.cluster) {
    if (options.database) throwClusterDatabase(options.database);
    const nodes = addresses('keyValue.redis.cluster.nodes', options.cluster.nodes, 6379);
    return { mode: 'cluster', nodes, ...auth(options.cluster) };
  }
  if (options.sentinel) {
    const { sentinel } = options;
    if (typeof sentinel.name !== 'string' || sentinel.name.trim() === '') {
      throw new MeshConfigError('keyValue.redis.sentinel.name', 'must name the monitored primary', {
        value: sentinel.name,
      });
    }
    const sentinels = addresses('keyValue.redis.sentinel.sentinels', sentinel.sentinels, 26379);
    return {
      mode: 'sentinel',
      sentinels,
      name: sentinel.name,
      database: options.database,
      sentinelPassword: sentinel.sentinelPassword,
      ...auth(sentinel),
    };
  }
  return planFromUrl(options.url, options.database);
}

function planFromUrl(url: string, database: number | undefined): RedisConnectionPlan {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss')
    return { mode: 'standalone', url: standaloneUrl(url, database) };
  if (scheme !== 'redis-cluster' && scheme !== 'redis-sentinel') {
    throw new MeshConfigError(URL_KEY, 'must be a Redis URL', { value: redact(url), allowed: URL_FORMS });
  }
  const rest = url.slice(scheme.length + 3);
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? [] : rest.slice(slash + 1).split('/');
  const at = authority.lastIndexOf('@');
  const credentials = at === -1 ? {} : userInfo(authority.slice(0, at));
  const hosts = authority.slice(at + 1).split(',');
  if (scheme === 'redis-cluster') {
    if (database) throwClusterDatabase(database);
    return { mode: 'cluster', nodes: addresses(URL_KEY, hosts, 6379), ...credentials };
  }
  return {
    ...sentinelFromPath(url, path.filter(Boolean), database),
    sentinels: addresses(URL_KEY, hosts, 26379),
    ...credentials,
  };
}

/** Primary name and database of a `redis-sentinel://hosts/<name>[/db]` URL. */
function sentinelFromPath(
  url: string,
  [name, db]: string[],
  database: number | undefined,
): { mode: 'sentinel'; name: string; database?: number } {
  if (!name) {
    throw new MeshConfigError(URL_KEY, 'must end with the name of the monitored primary', {
      value: redact(url),
      allowed: URL_FORMS,
    });
  }
  const urlDatabase = db === undefined ? undefined : Number(db);
  if (urlDatabase !== undefined && (!Number.isSafeInteger(urlDatabase) || urlDatabase < 0)) {
    throw new MeshConfigError(URL_KEY, 'has a database that is not a whole number', { value: redact(url) });
  }
  return { mode: 'sentinel', name: decodeURIComponent(name), database: database ?? urlDatabase };
}

function standaloneUrl(url: string, database: number | undefined): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new MeshConfigError(URL_KEY, 'is not a valid URL', {
      value: redact(url),
      allowed: URL_FORMS,
      cause: error,
    });
  }
  if (database === undefined) return url;
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Parses `host`, `host:port` or `[v6]:port` entries (or objects) into addresses. */
export function addresses(
  key: string,
  items: ReadonlyArray<string | RedisNodeAddress> | undefined,
  defaultPort: number,
): RedisNodeAddress[] {
  if (!Array.isArray(items) || items.length === 0) {
    throw new MeshConfigError(key, 'must list at least one host:port', { value: items });
  }
  return items.map((item: string | RedisNodeAddress) => {
    const address = typeof item === 'string' ? parseHostPort(item.trim(), defaultPort) : item;
    const valid =
      address !== undefined &&
      typeof address.host === 'string' &&
      address.host !== '' &&
      Number.isInteger(address.port) &&
      address.port > 0 &&
      address.port < 65536;
    if (!valid) throw new MeshConfigError(key, 'has an entry that is not host:port', { value: item });
    return { host: address.host, port: address.port };
  });
}

function parseHostPort(text: string, defaultPort: number): RedisNodeAddress | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d+))?$/.exec(text);
  if (!match) return undefined;
  return { host: match[1] ?? match[2] ?? '', port: match[3] === undefined ? defaultPort : Number(match[3]) };
}

function userInfo(text: string): RedisAuth {
  const colon = text.indexOf(':');
  const username = decodeURIComponent(colon === -1 ? text : text.slice(0, colon));
  const password = colon === -1 ? undefined : decodeURIComponent(text.slice(colon + 1));
  return { ...(username ? { username } : {}), ...(password ? { password } : {}) };
}

function auth(source: RedisAuth): RedisAuth {
  return {
    ...(source.username ? { username: source.username } : {}),
    ...(source.password ? { password: source.password } : {}),
  };
}

function throwClusterDatabase(database: number): never {
  throw new MeshConfigError('keyValue.redis.database', 'must be 0 with Redis Cluster (it has one database)', {
    value: database,
  });
}

/** The URL without its password, for error messages. */
export function redact(url: string): string {
  return url.replace(/\/\/([^@/]*):([^@/]*)@/, '//$1:***@');
}
