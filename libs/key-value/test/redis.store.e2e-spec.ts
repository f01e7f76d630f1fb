import { RedisKeyValueStore } from '@toskamesh/key-value';
import { describeKeyValueContract, REDIS_URL, deleteKeysUnder } from '@toskamesh/testing';

describeKeyValueContract('redis', async (keyPrefix) => {
  // A small SCAN COUNT and MGET batch force several pages and a pipelined getMany with 250 keys.
  const store = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix, scanCount: 40, batchSize: 64 });
  return {
    store,
    close: async () => {
      await store.close();
      await deleteKeysUnder(keyPrefix);
    },
  };
});
