import { open, type FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { SnapshotFile } from '../store/kv-engine.js';
import type { Exchange } from './exchange.js';
import { acceptsGzip, JSON_TYPE } from './respond.js';
import { sendUnavailable } from './store-failure.js';

const HEAD_BYTES = 256;
const CHECKSUM_FIELD = /"checksum"\s*:\s*"([0-9a-f]{64})"/;

/**
 * Streams a snapshot file with upstream's headers (`x-toska-snapshot-checksum`, `-snapshot-version`,
 * `x-toska-aof-version`). The checksum header must describe the bytes actually sent, and another
 * snapshot (periodic, compaction, a concurrent request) may have replaced the file since `file` was
 * written, so it is read from the head of the opened file (`checksum` is the first field of the pretty
 * JSON); when it cannot be found, the file goes out with `x-toska-replication-warning: info_unavailable`,
 * upstream's answer when its metadata lookup failed.
 */
export async function sendSnapshotFile(exchange: Exchange, file: SnapshotFile): Promise<void> {
  let handle: FileHandle | undefined;
  let size: number;
  let checksum: string | undefined;
  try {
    handle = await open(file.path, 'r');
    size = (await handle.stat()).size;
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    const text = head.toString('latin1');
    checksum = text.includes(file.checksum) ? file.checksum : CHECKSUM_FIELD.exec(text)?.[1];
  } catch (error) {
    await handle?.close().catch(() => undefined);
    sendUnavailable(exchange, 'Snapshot unavailable', error);
    return;
  }
  const gzip = acceptsGzip(exchange.req);
  const headers = [
    'content-type',
    JSON_TYPE,
    'vary',
    'accept-encoding',
    ...(gzip ? ['content-encoding', 'gzip'] : ['content-length', String(size)]),
    ...(checksum === undefined
      ? ['x-toska-replication-warning', 'info_unavailable']
      : ['x-toska-snapshot-checksum', checksum, 'x-toska-snapshot-version', '1', 'x-toska-aof-version', '1']),
  ];
  exchange.res.writeHead(200, headers);
  const source = handle.createReadStream({ start: 0, autoClose: true });
  try {
    await (gzip ? pipeline(source, createGzip(), exchange.res) : pipeline(source, exchange.res));
  } catch {
    // The client went away mid-stream; pipeline already destroyed both ends and closed the file.
  }
}
