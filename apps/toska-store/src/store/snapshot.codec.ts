import { createHash, type Hash } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { canonicalJson, compareUtf8, encodeJsonString, type JsonValue } from './canonical-json.js';
import { SnapshotCorruptionError } from './errors/snapshot-corruption.error.js';
import type { StoredEntry } from './kv-engine.js';

/** One key of a snapshot. */
export type SnapshotEntry = [key: string, entry: StoredEntry];

/** A snapshot read and checked. */
export interface ParsedSnapshot {
  /** Every entry as stored, expired ones included (the loader drops those). */
  entries: SnapshotEntry[];
  /** The verified checksum; `null` when the file had none (legacy or unverified). */
  checksum: string | null;
  createdAt: number | null;
  /** `legacy`: a bare map from before the `{checksum, data, version}` format; loaded unverified. */
  format: 'verified' | 'unverified' | 'legacy';
  /** Entries that were neither `{value, expires_at}` nor a plain string; skipped. */
  invalidEntries: number;
}

const CHUNK_CHARS = 1 << 20;

/**
 * Writes `entries` as the original's snapshot file (`Jason.encode(payload, pretty: true)`: keys sorted,
 * two-space indent, no trailing newline) to `<path>.tmp`, fsyncs it, renames it over `path` and fsyncs
 * the directory, so a crash leaves either the old or the new snapshot whole. Sorts `entries` in place.
 * Two streaming passes (checksum first, since `"checksum"` precedes `"data"` in the file) keep memory
 * flat however big the table is.
 */
export async function writeSnapshotFile(
  path: string,
  entries: SnapshotEntry[],
  createdAt: number,
): Promise<{ checksum: string; bytes: number }> {
  entries.sort((a, b) => compareUtf8(a[0], b[0]));
  const checksum = snapshotChecksum(entries);
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  let bytes = 0;
  try {
    const write = async (text: string): Promise<void> => {
      const buffer = Buffer.from(text, 'utf8');
      for (let offset = 0; offset < buffer.length;)
        offset += (await handle.write(buffer, offset)).bytesWritten;
      bytes += buffer.length;
    };
    let pending = `{\n  "checksum": "${checksum}",\n  "created_at": ${createdAt},\n  "data": {`;
    for (let i = 0; i < entries.length; i++) {
      const [key, entry] = entries[i]!;
      pending +=
        `${i > 0 ? ',' : ''}\n    ${encodeJsonString(key)}: {\n      "expires_at": ${expiry(entry)},\n` +
        `      "value": ${encodeJsonString(entry.value)}\n    }`;
      if (pending.length >= CHUNK_CHARS) {
        await write(pending);
        pending = '';
      }
    }
    await write(`${pending}${entries.length > 0 ? '\n  ' : ''}},\n  "version": 1\n}`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncDirectory(dirname(path));
  return { checksum, bytes };
}

/** `sha256(canonical(data))` of sorted entries, hashed piece by piece. */
export function snapshotChecksum(sortedEntries: readonly SnapshotEntry[]): string {
  const hash = createHash('sha256');
  let pending = '[';
  for (let i = 0; i < sortedEntries.length; i++) {
    const [key, entry] = sortedEntries[i]!;
    pending +=
      `${i > 0 ? ',' : ''}[${encodeJsonString(key)},` +
      `[["expires_at",${expiry(entry)}],["value",${encodeJsonString(entry.value)}]]]`;
    if (pending.length >= CHUNK_CHARS) pending = flush(hash, pending);
  }
  return hash.update(`${pending}]`, 'utf8').digest('hex');
}

/**
 * Reads the snapshot file: `null` when there is none. Throws {@link SnapshotCorruptionError} for a file
 * that is not JSON or whose checksum does not match its data.
 */
export async function readSnapshotFile(
  path: string,
): Promise<{ snapshot: ParsedSnapshot; bytes: number } | null> {
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return { snapshot: parseSnapshot(buffer.toString('utf8'), path, true), bytes: buffer.length };
}

/**
 * Parses and verifies a snapshot document: `{checksum, created_at, data, version}` with the checksum over
 * `canonical(data)`, or a legacy bare map (loaded unverified, as upstream does). `local` only changes the
 * advice in the error message.
 */
export function parseSnapshot(json: string, source: string, local: boolean): ParsedSnapshot {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new SnapshotCorruptionError(source, `not JSON (${(error as Error).message})`, {
      local,
      cause: error,
    });
  }
  if (!isObject(parsed)) throw new SnapshotCorruptionError(source, 'not a JSON object', { local });
  if (!('data' in parsed)) return { ...toEntries(parsed), checksum: null, createdAt: null, format: 'legacy' };
  const { data, checksum } = parsed;
  if (!isObject(data)) throw new SnapshotCorruptionError(source, '"data" is not an object', { local });
  if (typeof checksum === 'string') {
    const actual = dataChecksum(data);
    if (actual !== checksum) {
      throw new SnapshotCorruptionError(
        source,
        `checksum mismatch (file says ${checksum}, data hashes to ${actual})`,
        {
          local,
        },
      );
    }
  }
  const createdAt = Number.isSafeInteger(parsed['created_at']) ? (parsed['created_at'] as number) : null;
  const verified = typeof checksum === 'string';
  return {
    ...toEntries(data),
    checksum: verified ? checksum : null,
    createdAt,
    format: verified ? 'verified' : 'unverified',
  };
}

function dataChecksum(data: { [key: string]: JsonValue }): string {
  const hash = createHash('sha256');
  let pending = '[';
  const keys = Object.keys(data).sort(compareUtf8);
  for (let i = 0; i < keys.length; i++) {
    pending += `${i > 0 ? ',' : ''}[${encodeJsonString(keys[i]!)},${canonicalJson(data[keys[i]!]!)}]`;
    if (pending.length >= CHUNK_CHARS) pending = flush(hash, pending);
  }
  return hash.update(`${pending}]`, 'utf8').digest('hex');
}

function toEntries(map: { [key: string]: JsonValue }): { entries: SnapshotEntry[]; invalidEntries: number } {
  const entries: SnapshotEntry[] = [];
  let invalidEntries = 0;
  for (const [key, raw] of Object.entries(map)) {
    if (typeof raw === 'string') {
      entries.push([key, { value: raw, expiresAt: null }]);
      continue;
    }
    const expiresAt = isObject(raw) ? (raw['expires_at'] ?? null) : undefined;
    if (
      isObject(raw) &&
      typeof raw['value'] === 'string' &&
      (expiresAt === null || Number.isSafeInteger(expiresAt))
    ) {
      entries.push([key, { value: raw['value'], expiresAt: expiresAt as number | null }]);
    } else {
      invalidEntries++;
    }
  }
  return { entries, invalidEntries };
}

function isObject(value: unknown): value is { [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function expiry(entry: StoredEntry): string {
  return entry.expiresAt === null ? 'null' : String(entry.expiresAt);
}

function flush(hash: Hash, pending: string): string {
  hash.update(pending, 'utf8');
  return '';
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
