import { jest } from '@jest/globals';
import { ConsulServiceRegistry, type ConsulRegistryOptions } from '@toskamesh/registry';
import { describeRegistryContract, type RegistryContractSubject } from '@toskamesh/testing';
import { ConsulAgentFixture } from './fixtures/consul-agent.fixture.js';

/**
 * The shared ServiceRegistry contract against the Consul provider: always on the protocol-faithful
 * agent fixture, and also on a real agent when CONSUL_HTTP_ADDR is set (CONSUL_HTTP_TOKEN for ACLs).
 * A lapsed TTL turns a Consul instance critical instead of removing it: `expiryRemovesInstance: false`.
 */
// The e2e project's testTimeout does not reach tests (Jest reads it globally only); TTL cases need more than 5 s.
jest.setTimeout(30_000);

interface Target {
  name: string;
  setup: () => Promise<RegistryContractSubject>;
}

function realAgentUrl(address: string): string {
  if (/^https?:\/\//.test(address)) return address;
  return `${process.env['CONSUL_HTTP_SSL'] === 'true' ? 'https' : 'http'}://${address}`;
}

const targets: Target[] = [
  {
    name: 'consul (agent fixture)',
    setup: async () => {
      const agent = await ConsulAgentFixture.start();
      const registry = new ConsulServiceRegistry({
        url: agent.url,
        timeoutMs: 2_000,
        blockingWaitMs: 10_000,
      });
      return {
        registry,
        close: async () => {
          await registry.close();
          await agent.close();
        },
      };
    },
  },
];

const realAddress = process.env['CONSUL_HTTP_ADDR'];
if (realAddress) {
  targets.push({
    name: `consul (real agent at ${realAddress})`,
    setup: async () => {
      const token = process.env['CONSUL_HTTP_TOKEN'];
      const options: ConsulRegistryOptions = {
        url: realAgentUrl(realAddress),
        blockingWaitMs: 10_000,
        ...(token ? { token } : {}),
      };
      const registry = new ConsulServiceRegistry(options);
      return { registry, close: () => registry.close() };
    },
  });
}

for (const target of targets) {
  describeRegistryContract(target.name, target.setup, { expiryRemovesInstance: false, ttlMs: 600 });
}
