import { createKeyValueStore } from '@toskamesh/key-value';
import { describeKeyValueContract } from '@toskamesh/testing';

// Through the module's factory, so the metrics wrapper is held to the contract too.
describeKeyValueContract('memory', async (keyPrefix) => {
  const store = createKeyValueStore({ provider: 'memory', keyPrefix, memory: { sweepIntervalMs: 50 } });
  return { store, close: () => store.close() };
});
