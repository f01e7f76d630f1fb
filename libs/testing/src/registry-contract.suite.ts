import { describe } from '@jest/globals';
import { createContractContext } from './registry-contract.context.js';
import { describeQueries } from './registry-contract.queries.js';
import { describeRegistration } from './registry-contract.registration.js';
import { describeTtl } from './registry-contract.ttl.js';
import type { RegistryContractCapabilities, RegistryContractSubject } from './registry-contract.types.js';
import { describeWatch } from './registry-contract.watch.js';

/**
 * Declares the `ServiceRegistry` contract suite (Jest `describe`/`it`) for one provider.
 *
 * `setup` runs once in `beforeAll` and its `close` once in `afterAll`. Every test uses service names
 * under a prefix unique to this suite run, deregisters what it registered and aborts its watches, so
 * several suites (and parallel Jest workers) can share one backend. Waits are bounded by
 * `capabilities` (real time, no fake timers).
 *
 * @example
 * describeRegistryContract('memory', async () => {
 *   const registry = new MemoryServiceRegistry({ sweepIntervalMs: 50 });
 *   return { registry, close: () => registry.close() };
 * });
 */
export function describeRegistryContract(
  name: string,
  setup: () => Promise<RegistryContractSubject>,
  capabilities?: RegistryContractCapabilities,
): void {
  describe(`ServiceRegistry contract: ${name}`, () => {
    const ctx = createContractContext(setup, capabilities);
    describeRegistration(ctx);
    describeQueries(ctx);
    describeTtl(ctx);
    describeWatch(ctx);
  });
}
