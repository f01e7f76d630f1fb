import { MemoryServiceRegistry } from '@toskamesh/registry';
import { describeRegistryContract } from '@toskamesh/testing';

describeRegistryContract('memory', async () => {
  const registry = new MemoryServiceRegistry({ sweepIntervalMs: 50 });
  return { registry, close: () => registry.close() };
});
