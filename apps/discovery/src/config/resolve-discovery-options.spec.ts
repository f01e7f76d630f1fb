import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import { DISCOVERY_DEFAULTS, resolveDiscoveryOptions } from './resolve-discovery-options.js';

const SECRET = 'x'.repeat(40);

describe(resolveDiscoveryOptions.name, () => {
  it('applies the documented defaults', () => {
    const resolved = resolveDiscoveryOptions({ nodeEnv: 'development' });
    expect(resolved).toMatchObject({
      port: 5010,
      grpcPort: 5011,
      host: '0.0.0.0',
      store: { provider: 'memory' },
      probing: DISCOVERY_DEFAULTS.probing,
      watch: DISCOVERY_DEFAULTS.watch,
      tracking: DISCOVERY_DEFAULTS.tracking,
    });
  });

  it('turns auth off outside production when no secret or verifier is given', () => {
    expect(resolveDiscoveryOptions({ nodeEnv: 'development' }).auth.enabled).toBe(false);
    expect(resolveDiscoveryOptions({ nodeEnv: 'development', auth: { secret: SECRET } }).auth).toMatchObject({
      enabled: true,
      issuer: 'ToskaMesh.Services',
      audience: 'ToskaMesh.Services',
      allowAnonymousReads: false,
    });
  });

  it('refuses to start in production without a secret, naming the variable', () => {
    expect(() => resolveDiscoveryOptions({ nodeEnv: 'production' })).toThrow(MeshConfigError);
    expect(() => resolveDiscoveryOptions({ nodeEnv: 'production' })).toThrow(/MESH_SERVICE_AUTH_SECRET/);
    expect(() =>
      resolveDiscoveryOptions({ nodeEnv: 'production', auth: { secret: SECRET, disabled: true } }),
    ).toThrow(/auth.disabled/);
    expect(resolveDiscoveryOptions({ nodeEnv: 'production', auth: { secret: SECRET } }).auth.enabled).toBe(
      true,
    );
  });

  it('refuses a short or placeholder secret', () => {
    expect(() => resolveDiscoveryOptions({ auth: { secret: 'short' } })).toThrow(/too short/);
    expect(() =>
      resolveDiscoveryOptions({ auth: { secret: 'super-secret-mesh-key-change-me-please' } }),
    ).toThrow(/placeholder/);
  });

  it.each([
    [{ port: 70000 }, 'port'],
    [{ grpcPort: -1 }, 'grpcPort'],
    [{ host: '' }, 'host'],
    [{ watch: { retainEvents: 0 } }, 'watch.retainEvents'],
    [{ probing: { maxConcurrent: 1.5 } }, 'probing.maxConcurrent'],
    [{ tracking: { maxEntries: -3 } }, 'tracking.maxEntries'],
    [{ store: { provider: 'discovery' as const } }, 'store.provider'],
  ])('throws MeshConfigError for %j naming %s', (options, key) => {
    expect(() => resolveDiscoveryOptions(options)).toThrow(
      expect.objectContaining({ key }) as unknown as Error,
    );
  });

  it('accepts store names in any case, a registry instance, and grpcPort false', async () => {
    expect(resolveDiscoveryOptions({ store: { provider: 'Redis' as 'redis' } }).store.provider).toBe('redis');
    const registry = new MemoryServiceRegistry();
    expect(resolveDiscoveryOptions({ store: { provider: registry }, grpcPort: false })).toMatchObject({
      grpcPort: false,
      store: { provider: registry },
    });
    await registry.close();
  });
});
