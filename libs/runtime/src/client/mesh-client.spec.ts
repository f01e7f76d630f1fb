import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LoadBalancerRegistry } from '@toskamesh/load-balancing';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { CircuitBreakerRegistry, RetryBudgetRegistry } from '@toskamesh/resilience';
import { resolveRuntimeOptions } from '../options/resolve-runtime-options.js';
import { InstanceDirectory } from './instance-directory.js';
import { MeshClient } from './mesh-client.js';

describe(MeshClient.name, () => {
  let registry: MemoryServiceRegistry;

  beforeEach(() => {
    registry = new MemoryServiceRegistry();
  });

  afterEach(async () => {
    await registry.close();
  });

  function client(): MeshClient {
    return new MeshClient(
      resolveRuntimeOptions({ env: {} }),
      new InstanceDirectory(registry),
      new LoadBalancerRegistry(),
      new CircuitBreakerRegistry(),
      new RetryBudgetRegistry(),
    );
  }

  describe('for', () => {
    it('hands out one client per service name', () => {
      const meshClient = client();
      expect(meshClient.for('orders')).toBe(meshClient.for('orders'));
      expect(meshClient.for('orders')).not.toBe(meshClient.for('billing'));
      expect(meshClient.for('orders').serviceName).toBe('orders');
    });
  });

  describe('cachedInstances', () => {
    it('is undefined before the service was first looked up', () => {
      expect(client().cachedInstances('orders')).toBeUndefined();
    });
  });

  describe('onApplicationShutdown', () => {
    // Regression: a second shutdown (an explicit close, then SIGTERM) failed with undici's
    // ClientDestroyedError from closing the connection pool again.
    it('can run twice', async () => {
      const meshClient = client();
      await meshClient.onApplicationShutdown();
      await expect(meshClient.onApplicationShutdown()).resolves.toBeUndefined();
    });
  });
});
