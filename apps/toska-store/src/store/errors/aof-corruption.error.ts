import { MeshError } from '@toskamesh/common';

/**
 * A record of the append-only file is unreadable or fails its checksum, and it is not a torn final write
 * (records follow it, or it is complete but does not verify): the file was damaged, and replaying past it
 * silently would lose a write. Start-up stops unless the `repair` option is on.
 */
export class AofCorruptionError extends MeshError {
  constructor(
    readonly path: string,
    readonly offset: number,
    readonly line: number,
    readonly reason: string,
  ) {
    super(
      'MESH_TOSKASTORE_AOF_CORRUPT',
      `AOF ${path} is corrupt at byte offset ${offset} (line ${line}): ${reason}. ` +
        'This is damage, not a torn final write. Restore the file from a backup, or start ' +
        'with repair on (config key "repair", TOSKA_REPAIR=true or --repair) to skip the corrupt record; ' +
        'its write is lost and the original file is kept beside it as <aof>.corrupt-<epoch ms>.',
      { details: { path, offset, line, reason } },
    );
  }
}
