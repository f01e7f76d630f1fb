import { meshOptionsFromEnv } from '@toskamesh/common';
import type { RegistryModuleOptions } from '@toskamesh/registry';
import { MeshTokenService, ServiceTokenProvider } from '@toskamesh/security';

type Env = Record<string, string | undefined>;

/** The discovery service of a local mesh (`npm start`), the registry the gateway follows by default. */
export const DEFAULT_DISCOVERY_URL = 'http://127.0.0.1:5010';

/** Name the gateway's own mesh token carries (`service_name`), as the original's `Mesh:Identity:ServiceName`. */
export const GATEWAY_SERVICE_NAME = 'gateway';

/**
 * Where the gateway reads the registry, from the same variables mesh services use
 * (`Mesh__Registry__Provider`, `Mesh__Registry__Discovery__Url`, `Mesh__ServiceDiscovery__Grpc__Address`,
 * `Consul__Address`, `Mesh__Registry__Redis__Url`, ...); without any, the discovery service at
 * {@link DEFAULT_DISCOVERY_URL}. With a mesh secret (`MESH_SERVICE_AUTH_SECRET[_FILE]`) the discovery
 * client presents the gateway's own service token, so a discovery that refuses anonymous reads works.
 */
export function gatewayRegistryOptions(env: Env = process.env): RegistryModuleOptions {
  const mesh = meshOptionsFromEnv(env);
  const { provider, redis, consul, discovery } = mesh.registry;
  if (provider === undefined || provider === 'discovery') {
    const url = discovery?.url ?? DEFAULT_DISCOVERY_URL;
    const authToken = serviceToken(mesh.serviceAuth);
    return {
      provider: 'discovery',
      discovery: {
        url,
        ...(discovery?.transport ? { transport: discovery.transport } : {}),
        ...(authToken ? { authToken } : {}),
      },
    };
  }
  return { provider, ...(redis ? { redis } : {}), ...(consul ? { consul } : {}) };
}

function serviceToken(
  auth: ReturnType<typeof meshOptionsFromEnv>['serviceAuth'],
): (() => Promise<string>) | undefined {
  if (auth.secret === undefined) return undefined;
  const tokens = new MeshTokenService({
    secret: auth.secret,
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
    ...(auth.tokenLifetimeMs ? { tokenLifetimeMs: auth.tokenLifetimeMs } : {}),
  });
  const provider = new ServiceTokenProvider(tokens, {
    serviceName: GATEWAY_SERVICE_NAME,
    ...(auth.roles ? { roles: auth.roles } : {}),
  });
  return () => provider.getToken();
}
