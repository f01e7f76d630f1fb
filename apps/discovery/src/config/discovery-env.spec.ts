import { describe, expect, it } from '@jest/globals';
import { MeshConfigError } from '@toskamesh/common';
import { discoveryOptionsFromEnv } from './discovery-env.js';

describe(discoveryOptionsFromEnv.name, () => {
  it('maps the Discovery__* keys case-insensitively', () => {
    const options = discoveryOptionsFromEnv({
      Discovery__Port: '6010',
      DISCOVERY__GRPCPORT: '0',
      discovery__allowanonymousreads: 'true',
      Discovery__Store: 'redis',
      Discovery__Redis__Url: 'redis://cache:6379/2',
      Discovery__Probing__Enabled: 'false',
      Discovery__Watch__RetainEvents: '50',
      MESH_SERVICE_AUTH_SECRET: 's'.repeat(40),
      MESH_SERVICE_AUTH_ISSUER: 'issuer',
      NODE_ENV: 'production',
    });
    expect(options).toEqual({
      port: 6010,
      grpcPort: 0,
      store: { provider: 'redis', redis: { url: 'redis://cache:6379/2' } },
      auth: { secret: 's'.repeat(40), issuer: 'issuer', allowAnonymousReads: true },
      probing: { enabled: false },
      watch: { retainEvents: 50 },
      nodeEnv: 'production',
    });
  });

  it('reads the Consul address from Consul__Address and defaults to the memory store', () => {
    expect(
      discoveryOptionsFromEnv({ Discovery__Store: 'Consul', Consul__Address: 'http://consul:8500' }).store,
    ).toEqual({
      provider: 'consul',
      consul: { url: 'http://consul:8500' },
    });
    expect(discoveryOptionsFromEnv({}).store).toEqual({ provider: 'memory' });
  });

  it('throws MeshConfigError naming the variable for a malformed value', () => {
    expect(() => discoveryOptionsFromEnv({ Discovery__Port: 'eighty' })).toThrow(MeshConfigError);
    expect(() => discoveryOptionsFromEnv({ Discovery__Store: 'Postgres' })).toThrow(/Discovery__Store/);
  });
});
