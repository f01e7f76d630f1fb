import { describe } from '@jest/globals';
import { createKeyValueContractContext } from './key-value-contract.context.js';
import { describeIsolation } from './key-value-contract.isolation.js';
import { describeListing } from './key-value-contract.listing.js';
import { describeTtl } from './key-value-contract.ttl.js';
import type { KeyValueContractCapabilities, KeyValueContractSubject } from './key-value-contract.types.js';
import { describeValues } from './key-value-contract.values.js';

/**
 * Declares the `KeyValueStore` contract suite (Jest `describe`/`it`) for one provider.
 *
 * `setup(keyPrefix)` must return a store using that key prefix. It runs once in `beforeAll` (closed in
 * `afterAll`) and again for the prefix-isolation test. Every key the suite writes lives under a
 * namespace unique to this run and is deleted after its test, so several suites (and parallel Jest
 * workers) can share one backend. Waits are bounded by `capabilities` (real time, no fake timers).
 *
 * @example
 * describeKeyValueContract('memory', async (keyPrefix) => {
 *   const store = new MemoryKeyValueStore({ keyPrefix, sweepIntervalMs: 50 });
 *   return { store, close: () => store.close() };
 * });
 */
export function describeKeyValueContract(
  name: string,
  setup: (keyPrefix: string) => Promise<KeyValueContractSubject>,
  capabilities?: KeyValueContractCapabilities,
): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    const ctx = createKeyValueContractContext(setup, capabilities);
    describeValues(ctx);
    describeTtl(ctx);
    describeListing(ctx);
    describeIsolation(ctx);
  });
}
