import { MeshError } from '@toskamesh/common';

/**
 * A snapshot (the local file at start-up, or a leader's snapshot given to a follower) is not valid JSON,
 * or its `checksum` does not match its `data`.
 */
export class SnapshotCorruptionError extends MeshError {
  constructor(
    readonly source: string,
    readonly reason: string,
    options: { local: boolean; cause?: unknown },
  ) {
    const remedy = options.local
      ? ' Restore it from a backup, or start with repair on (config key "repair", TOSKA_REPAIR=true or ' +
        '--repair) to set it aside as <snapshot>.corrupt-<epoch ms> and start from the AOF alone (keys ' +
        'written only before that snapshot are then lost).'
      : '';
    super('MESH_TOSKASTORE_SNAPSHOT_CORRUPT', `Snapshot ${source} is corrupt: ${reason}.${remedy}`, {
      cause: options.cause,
      details: { source, reason },
    });
  }
}
