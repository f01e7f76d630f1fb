import {
  configBool,
  configChoice,
  configInt,
  meshOptionsFromEnv,
  readEnvTree,
  treeSection,
  treeValue,
  type ConfigTree,
  definedFields,
} from '@toskamesh/common';
import type { RegistryModuleOptions } from '@toskamesh/registry';
import type { DiscoveryAppOptions } from './discovery-options.js';

type Env = Record<string, string | undefined>;

const STORE_NAMES = ['Memory', 'Redis', 'Consul'] as const;

/**
 * Maps container variables to {@link DiscoveryAppOptions}, compatible with the .NET original's keys:
 * `Discovery__Port`, `Discovery__GrpcPort`, `Discovery__Host`, `Discovery__AllowAnonymousReads`,
 * `Discovery__Store` (Memory|Redis|Consul), `Discovery__Redis__Url`, `Discovery__Redis__KeyPrefix`,
 * `Consul__Address`, `Discovery__Probing__Enabled`, `Discovery__Watch__RetainEvents`,
 * `Discovery__Watch__HeartbeatMs`, and the service-auth secret from `MESH_SERVICE_AUTH_SECRET`
 * (`_FILE`, `_ISSUER`, `_AUDIENCE`, or `Mesh__ServiceAuth__*`). A malformed value throws `MeshConfigError`.
 */
export function discoveryOptionsFromEnv(env: Env = process.env): DiscoveryAppOptions {
  const tree = readEnvTree(env, 'Discovery');
  const mesh = meshOptionsFromEnv(env);
  const key = (name: string) => `Discovery__${name}`;
  const options: DiscoveryAppOptions = {
    store: storeOptions(tree, mesh.registry.consul),
    auth: definedFields({
      secret: mesh.serviceAuth.secret,
      issuer: mesh.serviceAuth.issuer,
      audience: mesh.serviceAuth.audience,
      allowAnonymousReads: configBool(key('AllowAnonymousReads'), treeValue(tree, 'allowAnonymousReads')),
    }),
    probing: definedFields({
      enabled: configBool(key('Probing__Enabled'), treeValue(treeSection(tree, 'probing'), 'enabled')),
    }),
    watch: definedFields({
      retainEvents: configInt(
        key('Watch__RetainEvents'),
        treeValue(treeSection(tree, 'watch'), 'retainEvents'),
        {
          min: 1,
        },
      ),
      heartbeatMs: configInt(
        key('Watch__HeartbeatMs'),
        treeValue(treeSection(tree, 'watch'), 'heartbeatMs'),
        {
          min: 1,
        },
      ),
    }),
    ...(env.NODE_ENV !== undefined ? { nodeEnv: env.NODE_ENV } : {}),
  };
  const port = configInt(key('Port'), treeValue(tree, 'port'), { min: 0, max: 65535 });
  const grpcPort = configInt(key('GrpcPort'), treeValue(tree, 'grpcPort'), { min: 0, max: 65535 });
  const host = treeValue(tree, 'host');
  return definedFields({ ...options, port, grpcPort, host });
}

function storeOptions(
  tree: ConfigTree,
  consul: { url?: string; datacenter?: string; token?: string } | undefined,
): RegistryModuleOptions {
  const store = configChoice('Discovery__Store', treeValue(tree, 'store'), STORE_NAMES) ?? 'Memory';
  if (store === 'Redis') {
    const redis = treeSection(tree, 'redis');
    return {
      provider: 'redis',
      redis: definedFields({
        url: treeValue(redis, 'url', 'connectionString'),
        keyPrefix: treeValue(redis, 'keyPrefix'),
      }),
    };
  }
  if (store === 'Consul') return { provider: 'consul', consul: { ...consul } };
  return { provider: 'memory' };
}
