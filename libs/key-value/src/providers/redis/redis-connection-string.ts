import { MeshConfigError } from '@toskamesh/common';
import type { RedisKeyValueOptions } from '../../key-value-options.js';

/**
 * Turns `Mesh__KeyValue__Redis__ConnectionString` into Redis options. A URL (`redis://`, `rediss://`,
 * `redis-cluster://`, `redis-sentinel://`) is used as is. Anything else is read as the StackExchange.Redis
 * form the .NET original used: `host1:6379[,host2:6380],password=...,user=...,ssl=true,defaultDatabase=2,
 * serviceName=mymaster`. One endpoint is standalone; `serviceName` means Sentinel; several endpoints
 * without it are read as Cluster seeds. Other StackExchange options are ignored.
 */
export function redisOptionsFromConnectionString(key: string, raw: string): RedisKeyValueOptions {
  const text = raw.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return { url: text };
  const endpoints: string[] = [];
  const settings = new Map<string, string>();
  for (const part of text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const equals = part.indexOf('=');
    if (equals === -1) endpoints.push(part);
    else settings.set(part.slice(0, equals).trim().toLowerCase(), part.slice(equals + 1).trim());
  }
  if (endpoints.length === 0) {
    throw new MeshConfigError(key, 'names no Redis endpoint', {
      allowed: 'a redis:// URL or the StackExchange form host:6379[,password=...]',
    });
  }
  const username = settings.get('user') || undefined;
  const password = settings.get('password') || undefined;
  const serviceName = settings.get('servicename');
  const database = databaseOf(key, settings.get('defaultdatabase'));
  if (serviceName) {
    return { sentinel: { sentinels: endpoints, name: serviceName, username, password }, database };
  }
  if (endpoints.length > 1) return { cluster: { nodes: endpoints, username, password }, database };
  const tls = /^(true|1|yes)$/i.test(settings.get('ssl') ?? '');
  const credentials =
    username || password
      ? `${encodeURIComponent(username ?? '')}${password ? `:${encodeURIComponent(password)}` : ''}@`
      : '';
  const host = endpoints[0]!.includes(':') ? endpoints[0]! : `${endpoints[0]!}:6379`;
  return { url: `${tls ? 'rediss' : 'redis'}://${credentials}${host}`, database };
}

function databaseOf(key: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new MeshConfigError(key, 'has a defaultDatabase that is not a whole number >= 0', { value: raw });
  }
  return value;
}
