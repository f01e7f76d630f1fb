import type { AofHandle } from './aof-file.js';

/** One line of the AOF: its byte offset, its bytes without the `\n`, and whether a `\n` ended it. */
export interface AofLine {
  offset: number;
  bytes: Buffer;
  terminated: boolean;
}

/** How much of the file is read at a time; lines longer than this are stitched across reads. */
export const AOF_READ_CHUNK_BYTES = 1 << 20;

/**
 * Calls `onLine` for every line of the first `size` bytes, in order, reading in chunks so a file of
 * any size replays in bounded memory (plus the longest line). `bytes` is only valid during the call.
 */
export async function forEachAofLine(
  handle: Pick<AofHandle, 'read'>,
  size: number,
  onLine: (line: AofLine) => void,
  chunkBytes = AOF_READ_CHUNK_BYTES,
): Promise<void> {
  let position = 0;
  let carry = Buffer.alloc(0);
  let carryOffset = 0;
  while (position < size) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkBytes, size - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const fresh = chunk.subarray(0, bytesRead);
    const data = carry.length > 0 ? Buffer.concat([carry, fresh]) : fresh;
    let start = 0;
    for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
      onLine({ offset: carryOffset + start, bytes: data.subarray(start, newline), terminated: true });
      start = newline + 1;
    }
    carry = data.subarray(start);
    carryOffset += start;
  }
  if (carry.length > 0) onLine({ offset: carryOffset, bytes: carry, terminated: false });
}
