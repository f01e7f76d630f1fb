import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readGatewayNodeFlags } from './gateway-node-flags.js';
import type { ProcessSpec } from './process-spec.js';

/** Ports of the local mesh; every one overridable by an environment variable. */
export interface MeshPorts {
  discovery: number;
  discoveryGrpc: number;
  hello: number;
  adder: number;
  toskaStore: number;
  profile: number;
  gateway: number;
}

/** Environment variable that overrides each port, and its default (the .NET original's where it had one). */
export const PORT_VARIABLES: Readonly<Record<keyof MeshPorts, [string, number]>> = {
  discovery: ['TOSKA_DISCOVERY_PORT', 5010],
  discoveryGrpc: ['TOSKA_DISCOVERY_GRPC_PORT', 5011],
  hello: ['TOSKA_HELLO_PORT', 5020],
  adder: ['TOSKA_ADDER_PORT', 5021],
  toskaStore: ['TOSKA_STORE_PORT', 4000],
  profile: ['TOSKA_PROFILE_PORT', 5022],
  gateway: ['TOSKA_GATEWAY_PORT', 5000],
};

/** Reads the ports from `env`, rejecting values that are not ports with the variable's name. */
export function meshPorts(env: Record<string, string | undefined>): MeshPorts {
  const entries = Object.entries(PORT_VARIABLES).map(([key, [variable, fallback]]) => {
    const raw = env[variable];
    const port = raw === undefined || raw === '' ? fallback : Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`${variable} must be a port number 1-65535 (got ${JSON.stringify(raw)})`);
    }
    return [key, port] as const;
  });
  return Object.fromEntries(entries) as unknown as MeshPorts;
}

/** A fresh random secret for one run (service tokens, the store's token), shared by its processes only. */
export function generateMeshSecret(): string {
  return randomBytes(48).toString('base64url');
}

/** Secrets of one run. */
export interface MeshSecrets {
  /** Signs and verifies mesh service tokens. */
  serviceAuth: string;
  /** toska-store's bearer token. */
  store: string;
}

/**
 * The processes of `npm start`: discovery (memory store, anonymous reads so curl works), the gateway in
 * front of every service (`/api/<service>/...`, following discovery), toska-store (data under `dataDir`, a
 * per-run token), and the example services registered through discovery, all signing service tokens with
 * one per-run secret.
 */
export function localMeshPlan(
  ports: MeshPorts,
  secrets: MeshSecrets,
  root = repositoryRoot(),
  dataDir = `${root}/.toska`,
  gatewayFlags: readonly string[] = readGatewayNodeFlags(root),
): ProcessSpec[] {
  const discoveryUrl = `http://127.0.0.1:${ports.discovery}`;
  const storeUrl = `http://127.0.0.1:${ports.toskaStore}`;
  const shared = {
    MESH_SERVICE_AUTH_SECRET: secrets.serviceAuth,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
  };
  const service = (
    name: string,
    folder: string,
    port: number,
    urls: Record<string, string>,
    extra: { env?: Record<string, string>; dependsOn?: string[] } = {},
  ): ProcessSpec => ({
    name,
    command: process.execPath,
    args: [`${root}/examples/${folder}/dist/main.js`],
    env: {
      ...shared,
      Mesh__Service__ServiceName: name,
      Mesh__Service__Port: String(port),
      Mesh__Service__Address: '127.0.0.1',
      Mesh__Service__AdvertisedAddress: '127.0.0.1',
      Mesh__Registry__Provider: 'Discovery',
      Mesh__Registry__Discovery__Url: discoveryUrl,
      ...extra.env,
    },
    readyUrl: `http://127.0.0.1:${port}/health/ready`,
    dependsOn: ['discovery', ...(extra.dependsOn ?? [])],
    urls,
  });
  const gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
  return [
    {
      name: 'gateway',
      command: process.execPath,
      // The memory profile of apps/gateway/node-flags.json (docs/gateway.md, "Memory").
      args: [...gatewayFlags, `${root}/apps/gateway/dist/main.js`],
      env: {
        ...shared,
        Mesh__Gateway__Port: String(ports.gateway),
        Mesh__Gateway__Host: '127.0.0.1',
        Mesh__Registry__Provider: 'Discovery',
        Mesh__Registry__Discovery__Url: discoveryUrl,
      },
      readyUrl: `${gatewayUrl}/health/ready`,
      dependsOn: ['discovery'],
      urls: {
        'gateway → hello': `${gatewayUrl}/api/hello-mesh-service/hello`,
        'gateway → adder': `${gatewayUrl}/api/adder-mesh-service/add?a=2&b=3`,
        'gateway → profiles': `${gatewayUrl}/api/profile-kv-store-demo/profiles`,
      },
    },
    {
      name: 'discovery',
      command: process.execPath,
      args: [`${root}/apps/discovery/dist/main.js`],
      env: {
        ...shared,
        Discovery__Port: String(ports.discovery),
        Discovery__GrpcPort: String(ports.discoveryGrpc),
        Discovery__AllowAnonymousReads: 'true',
        Discovery__Store: 'Memory',
      },
      readyUrl: `${discoveryUrl}/health/ready`,
      dependsOn: [],
      urls: {
        'discovery REST': `${discoveryUrl}/api/ServiceDiscovery/services`,
        'discovery watch (SSE)': `${discoveryUrl}/api/ServiceDiscovery/watch`,
        'discovery gRPC': `127.0.0.1:${ports.discoveryGrpc}`,
      },
    },
    service('hello-mesh-service', 'hello-mesh-service', ports.hello, {
      hello: `http://127.0.0.1:${ports.hello}/hello`,
    }),
    service('adder-mesh-service', 'adder-mesh-service', ports.adder, {
      adder: `http://127.0.0.1:${ports.adder}/add?a=2&b=3`,
    }),
    {
      name: 'toska-store',
      command: process.execPath,
      args: [
        `${root}/apps/toska-store/dist/cli/main.js`,
        'start',
        '--host',
        '127.0.0.1',
        '--port',
        String(ports.toskaStore),
      ],
      env: { TOSKA_CONFIG_DIR: dataDir, TOSKA_DATA_DIR: `${dataDir}/data`, TOSKA_AUTH_TOKEN: secrets.store },
      readyUrl: `${storeUrl}/health`,
      dependsOn: [],
      urls: { 'toska-store': `${storeUrl}/status (data in ${dataDir}/data)` },
    },
    service(
      'profile-kv-store-demo',
      'profile-kv-store-demo',
      ports.profile,
      { profiles: `http://127.0.0.1:${ports.profile}/profiles` },
      {
        env: {
          Mesh__KeyValue__Provider: 'ToskaStore',
          Mesh__KeyValue__ToskaStore__BaseUrl: storeUrl,
          Mesh__KeyValue__ToskaStore__AuthToken: secrets.store,
        },
        dependsOn: ['toska-store'],
      },
    ),
  ];
}

/** The repository root, four folders above this file in both `src/` and `dist/` layouts. */
export function repositoryRoot(): string {
  return fileURLToPath(new URL('../../../../', import.meta.url)).replace(/\/$/, '');
}
