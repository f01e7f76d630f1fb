import {
  configBool,
  configChoice,
  configDurationMs,
  configInt,
  readEnvTree,
  treeSection,
  treeValue,
  type ConfigTree,
  definedFields,
} from '@toskamesh/common';
import type {
  KeyValueModuleOptions,
  KeyValueProviderName,
  RedisKeyValueOptions,
  ToskaStoreKeyValueOptions,
} from './key-value-options.js';
import { redisOptionsFromConnectionString } from './providers/redis/redis-connection-string.js';

type Env = Record<string, string | undefined>;

const PROVIDER_CHOICES = ['Redis', 'ToskaStore', 'Memory'] as const;
const key = (path: string) => `Mesh__KeyValue__${path}`;

/**
 * Maps the .NET original's variables to {@link KeyValueModuleOptions} (keys case-insensitive, `__` or
 * `:` as separator): `Mesh__KeyValue__Provider` (Redis | ToskaStore | Memory), `..__Redis__ConnectionString`,
 * `..__Redis__Database`, `..__ToskaStore__BaseUrl`, `..__ToskaStore__AuthToken`, `..__ToskaStore__KeyPrefix`,
 * `..__ToskaStore__EnableKeyIndex`, `..__ToskaStore__KeyIndexKey`. The key prefix is the provider section's
 * `KeyPrefix`, else `Mesh__KeyValue__KeyPrefix`, else the service name (`Mesh__Service__ServiceName` or
 * `__Name`). Without a Provider, a Redis connection string selects Redis and a ToskaStore URL selects
 * ToskaStore; otherwise the module's default (memory) applies. A malformed value throws
 * `MeshConfigError` naming the variable.
 */
export function keyValueOptionsFromEnv(env: Env = process.env): KeyValueModuleOptions {
  const mesh = readEnvTree(env, 'Mesh');
  const section = treeSection(mesh, 'keyvalue');
  const redisSection = treeSection(section, 'redis');
  const toskaSection = treeSection(section, 'toskastore');
  const redis = redisOptions(redisSection);
  const toskaStore = toskaStoreOptions(toskaSection);
  const provider = providerOf(section, redisSection, toskaSection);
  const own = provider === 'redis' ? redisSection : provider === 'toskastore' ? toskaSection : {};
  const service = treeSection(mesh, 'service');
  const keyPrefix = [
    treeValue(own, 'keyPrefix'),
    treeValue(section, 'keyPrefix'),
    treeValue(service, 'serviceName', 'name'),
  ].find((value) => value !== undefined && value.trim() !== '');
  return definedFields({
    provider,
    keyPrefix: keyPrefix?.trim(),
    healthTimeoutMs: configDurationMs(key('HealthTimeout'), treeValue(section, 'healthTimeout'), 'ms'),
    redis: Object.keys(redis).length ? redis : undefined,
    toskaStore: Object.keys(toskaStore).length ? toskaStore : undefined,
  });
}

function providerOf(
  section: ConfigTree,
  redis: ConfigTree,
  toska: ConfigTree,
): KeyValueProviderName | undefined {
  const chosen = configChoice(key('Provider'), treeValue(section, 'provider'), PROVIDER_CHOICES);
  if (chosen) return chosen.toLowerCase() as KeyValueProviderName;
  if (treeValue(redis, 'connectionString')?.trim()) return 'redis';
  if (treeValue(toska, 'baseUrl')?.trim()) return 'toskastore';
  return undefined;
}

function redisOptions(section: ConfigTree): RedisKeyValueOptions {
  const connection = treeValue(section, 'connectionString')?.trim();
  const fromConnection = connection
    ? redisOptionsFromConnectionString(key('Redis__ConnectionString'), connection)
    : {};
  const database = configInt(key('Redis__Database'), treeValue(section, 'database'), { min: 0 });
  return definedFields({
    ...fromConnection,
    database: database ?? fromConnection.database,
    commandTimeoutMs: configDurationMs(
      key('Redis__CommandTimeout'),
      treeValue(section, 'commandTimeout'),
      'ms',
    ),
  });
}

function toskaStoreOptions(section: ConfigTree): ToskaStoreKeyValueOptions {
  return definedFields({
    baseUrl: treeValue(section, 'baseUrl')?.trim() || undefined,
    authToken: treeValue(section, 'authToken') || undefined,
    enableKeyIndex: configBool(key('ToskaStore__EnableKeyIndex'), treeValue(section, 'enableKeyIndex')),
    keyIndexKey: treeValue(section, 'keyIndexKey')?.trim() || undefined,
    timeoutMs: configDurationMs(key('ToskaStore__Timeout'), treeValue(section, 'timeout'), 'ms'),
  });
}
