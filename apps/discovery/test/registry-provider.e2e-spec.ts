import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DiscoveryServiceRegistry,
  RegistryAccessDeniedError,
  type DiscoveryRegistryOptions,
} from '@toskamesh/registry';
import { describeRegistryContract, uniqueName } from '@toskamesh/testing';
import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { createDiscoveryApp, type DiscoveryApp } from '../src/index.js';

/*
 * The `discovery` registry provider (DiscoveryServiceRegistry) against the real discovery app, started
 * in-process on ephemeral ports of 127.0.0.1 with auth on: the shared ServiceRegistry contract over REST
 * + SSE and over gRPC, then the client's own mapping of 401/403.
 */

const SECRET = randomBytes(36).toString('base64url');
const ISSUER = 'ToskaMesh.Services';

/** A mesh service token as `contracts/discovery.md` describes it (HS256, `roles` array). */
async function meshToken(serviceName: string, roles: string[], secret: string = SECRET): Promise<string> {
  return new SignJWT({ service_name: serviceName, service_id: `${serviceName}-e2e`, roles })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`${serviceName}-e2e`)
    .setIssuer(ISSUER)
    .setAudience(ISSUER)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(secret));
}

function startDiscovery(): Promise<DiscoveryApp> {
  return createDiscoveryApp(
    {
      port: 0,
      grpcPort: 0,
      host: '127.0.0.1',
      auth: { secret: SECRET },
      store: { provider: 'memory', memory: { sweepIntervalMs: 100 } },
      probing: { enabled: false },
      watch: { heartbeatMs: 1000 },
    },
    { logger: false },
  );
}

/** A registry client of `discovery` acting as an operator (the contract suite registers many services). */
function adminClient(discovery: DiscoveryApp, transport: 'http' | 'grpc'): DiscoveryServiceRegistry {
  const url = transport === 'http' ? discovery.httpUrl : discovery.grpcUrl;
  if (!url) throw new Error('the discovery app did not start its gRPC server');
  return new DiscoveryServiceRegistry({
    url,
    transport,
    authToken: () => meshToken('mesh-e2e-operator', ['Service', 'Admin']),
    timeoutMs: 5000,
  });
}

for (const transport of ['http', 'grpc'] as const) {
  describeRegistryContract(
    `discovery over ${transport}`,
    async () => {
      const discovery = await startDiscovery();
      const registry = adminClient(discovery, transport);
      return {
        registry,
        close: async () => {
          await registry.close();
          await discovery.close();
        },
      };
    },
    // The proto has no tags or TTL fields; the REST body carries both as extensions of this port.
    transport === 'grpc' ? { keepsTags: false, honoursTtl: false } : { ttlMs: 600 },
  );
}

describe(`${DiscoveryServiceRegistry.name} against the discovery app`, () => {
  let discovery: DiscoveryApp;
  const clients: DiscoveryServiceRegistry[] = [];
  const client = (transport: 'http' | 'grpc', authToken: DiscoveryRegistryOptions['authToken']) => {
    const url = transport === 'http' ? discovery.httpUrl : discovery.grpcUrl!;
    const registry = new DiscoveryServiceRegistry({ url, transport, authToken });
    clients.push(registry);
    return registry;
  };

  beforeAll(async () => {
    discovery = await startDiscovery();
  });
  afterAll(async () => {
    await Promise.all(clients.map((registry) => registry.close()));
    await discovery?.close();
  });

  describe.each(['http', 'grpc'] as const)('errors over %s', (transport) => {
    it('throws RegistryAccessDeniedError 401 for a token signed with another secret', async () => {
      const name = uniqueName('forged');
      const forged = client(transport, () => meshToken(name, ['Service'], randomBytes(36).toString('hex')));
      const attempt = forged.register({ serviceName: name, address: '10.0.0.1', port: 8080 });
      await expect(attempt).rejects.toBeInstanceOf(RegistryAccessDeniedError);
      await expect(attempt).rejects.toMatchObject({ code: 'MESH_REGISTRY_ACCESS_DENIED', status: 401 });
    });

    it("throws RegistryAccessDeniedError 403 when a service registers another service's name", async () => {
      const mine = uniqueName('mine');
      const registry = client(transport, () => meshToken(mine, ['Service']));
      const own = await registry.register({ serviceName: mine, address: '10.0.0.1', port: 8080 });
      expect(own.serviceName).toBe(mine);
      const attempt = registry.register({
        serviceName: uniqueName('theirs'),
        address: '10.0.0.1',
        port: 8080,
      });
      await expect(attempt).rejects.toMatchObject({ code: 'MESH_REGISTRY_ACCESS_DENIED', status: 403 });
      await expect(registry.deregister(own.serviceId)).resolves.toBe(true);
    });
  });
});
