import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Which leader snapshot the follower's AOF offset counts from. The leader's AOF has no generation id: a
 * snapshot or compaction truncates it to 0, and only the snapshot's checksum and `created_at` (from
 * `GET /replication/info`) tell the generations apart.
 */
export interface LeaderGeneration {
  /** `snapshot_checksum` of the leader snapshot the AOF restarted after. */
  checksum: string;
  /**
   * The leader's `snapshot_created_at` for that snapshot, or `null` while it is not known yet (right after
   * a bootstrap, until `/replication/info` confirms the checksum).
   */
  createdAt: number | null;
}

/** What `replica.offset` holds. */
export interface ReplicaPosition {
  /** Byte offset in the leader's current AOF just after the last whole record applied. */
  offset: number;
  /** Leader the offset belongs to, or `null` for the original's plain-integer file. */
  leaderUrl: string | null;
  /** Generation of the leader AOF the offset counts in, or `null` when unknown (the original's file). */
  generation: LeaderGeneration | null;
}

/** Name of the file in the data directory (the original's). */
export const REPLICA_OFFSET_FILE = 'replica.offset';

/**
 * Reads `replica.offset`: the port's JSON object, or the original's plain integer (`Integer.parse`, so a
 * sign is allowed and a negative value counts as 0). Anything else is `undefined`: the follower then
 * re-syncs from a snapshot, which is always safe.
 */
export function parseReplicaPosition(text: string): ReplicaPosition | undefined {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) {
    const offset = Math.max(0, Number(trimmed));
    return Number.isSafeInteger(offset) ? { offset, leaderUrl: null, generation: null } : undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const offset = record.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) return undefined;
  const leaderUrl = typeof record.leader_url === 'string' ? record.leader_url : null;
  const checksum = record.snapshot_checksum;
  const createdAt = record.snapshot_created_at;
  const generation =
    typeof checksum === 'string' && checksum !== ''
      ? { checksum, createdAt: typeof createdAt === 'number' ? createdAt : null }
      : null;
  return { offset, leaderUrl, generation };
}

/** The JSON written to `replica.offset` (snake_case like the rest of the server's files). */
export function formatReplicaPosition(position: ReplicaPosition): string {
  return `${JSON.stringify({
    version: 1,
    offset: position.offset,
    leader_url: position.leaderUrl,
    snapshot_checksum: position.generation?.checksum ?? null,
    snapshot_created_at: position.generation?.createdAt ?? null,
  })}\n`;
}

/** `replica.offset` on disk; writes are atomic (tmp file + rename) so a crash never leaves half a file. */
export class ReplicaPositionFile {
  constructor(readonly path: string) {}

  /** The stored position, or `undefined` when there is no file or it is unreadable. */
  async read(): Promise<ReplicaPosition | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return parseReplicaPosition(text);
  }

  async write(position: ReplicaPosition): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp`;
    await writeFile(tmp, formatReplicaPosition(position));
    await rename(tmp, this.path);
  }
}
