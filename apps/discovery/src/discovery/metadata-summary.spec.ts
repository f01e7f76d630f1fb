import { describe, expect, it } from '@jest/globals';
import type { ServiceInstance } from '@toskamesh/common';
import { summarizeMetadata } from './metadata-summary.js';

const withMetadata = (metadata: Record<string, string>) => ({ metadata }) as ServiceInstance;

describe(summarizeMetadata.name, () => {
  it('groups keys and values case-insensitively, counting instances per key', () => {
    const summary = summarizeMetadata('orders', [
      withMetadata({ Zone: 'eu', tier: 'gold' }),
      withMetadata({ zone: 'EU' }),
      withMetadata({ zone: 'us' }),
    ]);
    expect(summary).toMatchObject({
      serviceName: 'orders',
      instanceCount: 3,
      keys: [
        { key: 'tier', instanceCount: 1, values: ['gold'] },
        { key: 'Zone', instanceCount: 3, values: ['eu', 'us'] },
      ],
    });
  });

  it('summarises an unknown service as empty', () => {
    expect(summarizeMetadata('none', [])).toMatchObject({ instanceCount: 0, keys: [] });
  });
});
