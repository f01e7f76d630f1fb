import { RedisServiceRegistry } from '@toskamesh/registry';
import { describeRegistryContract, uniqueName } from '@toskamesh/testing';
import { REDIS_URL, deleteKeysUnder } from '@toskamesh/testing';

describeRegistryContract('redis', async () => {
  const keyPrefix = uniqueName('test:registry');
  const registry = new RedisServiceRegistry({ url: REDIS_URL, keyPrefix, sweepIntervalMs: 50 });
  return {
    registry,
    close: async () => {
      await registry.close();
      await deleteKeysUnder(keyPrefix);
    },
  };
});
