import type { LeaderInfo } from './leader.client.js';
import type { LeaderGeneration } from './replica-position.js';

/**
 * How the leader's current AOF relates to the one the follower's offset counts in:
 * - `same`: same generation, the offset is valid;
 * - `adopt`: same snapshot checksum, and the follower has applied nothing since its bootstrap, so the
 *   leader's current `created_at` can be learned (the follower's data equals that snapshot's data, hence
 *   offset 0 of the current AOF is right whichever snapshot it follows);
 * - `changed`: the leader wrote another snapshot (a snapshot request or compaction truncated its AOF), so
 *   the offset means nothing any more.
 */
export type GenerationVerdict = 'same' | 'adopt' | 'changed';

/** Compares the generation the follower is in with what `GET /replication/info` reports now. */
export function compareGeneration(
  known: LeaderGeneration | null,
  info: LeaderInfo,
  committedOffset: number,
): GenerationVerdict {
  if (known === null || info.snapshotChecksum !== known.checksum) return 'changed';
  if (known.createdAt === null) {
    // A leader that never reports created_at leaves only the checksum and the AOF size to go by.
    if (info.snapshotCreatedAt === null) return 'same';
    return committedOffset === 0 ? 'adopt' : 'changed';
  }
  return info.snapshotCreatedAt === known.createdAt ? 'same' : 'changed';
}
