import { describe, expect, it } from '@jest/globals';
import { compareGeneration } from './leader-generation.js';
import type { LeaderInfo } from './leader.client.js';

const info = (snapshotChecksum: string | null, snapshotCreatedAt: number | null): LeaderInfo => ({
  snapshotChecksum,
  snapshotCreatedAt,
  aofSize: 0,
});

describe('compareGeneration', () => {
  it('is same when checksum and created_at match', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: 10 }, info('a', 10), 500)).toBe('same');
  });

  it('is changed when the leader wrote a snapshot of the same data later', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: 10 }, info('a', 11), 500)).toBe('changed');
  });

  it('is changed when the snapshot checksum differs', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: 10 }, info('b', 10), 0)).toBe('changed');
  });

  it('is changed when the generation is unknown', () => {
    expect(compareGeneration(null, info('a', 10), 0)).toBe('changed');
  });

  it('adopts created_at right after a bootstrap, before anything was applied', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: null }, info('a', 10), 0)).toBe('adopt');
  });

  it('does not adopt once records were applied against an unconfirmed snapshot', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: null }, info('a', 10), 80)).toBe('changed');
  });

  it('goes by the checksum alone when the leader reports no created_at', () => {
    expect(compareGeneration({ checksum: 'a', createdAt: null }, info('a', null), 80)).toBe('same');
  });
});
