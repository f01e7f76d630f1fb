import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { tempDataDir } from '../../test/fixtures/engine-harness.js';
import { SnapshotCorruptionError } from './errors/snapshot-corruption.error.js';
import { parseSnapshot, readSnapshotFile, snapshotChecksum, writeSnapshotFile } from './snapshot.codec.js';

const EXPECTED_FILE = `{
  "checksum": "CHECKSUM",
  "created_at": 1795323885013,
  "data": {
    "hello": {
      "expires_at": null,
      "value": "world"
    },
    "ttlk": {
      "expires_at": 1795323944968,
      "value": "t"
    }
  },
  "version": 1
}`;

function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex');
}

describe('snapshot.codec', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDataDir()));
  afterEach(() => remove());

  describe(writeSnapshotFile.name, () => {
    it('writes the pretty-printed file of the original with the checksum over canonical(data)', async () => {
      const path = join(dir, 'snap.json');
      const written = await writeSnapshotFile(
        path,
        [
          ['ttlk', { value: 't', expiresAt: 1795323944968 }],
          ['hello', { value: 'world', expiresAt: null }],
        ],
        1795323885013,
      );
      const canonical =
        '[["hello",[["expires_at",null],["value","world"]]],["ttlk",[["expires_at",1795323944968],["value","t"]]]]';
      expect(written.checksum).toBe(sha256(canonical));
      const text = await readFile(path, 'utf8');
      expect(text).toBe(EXPECTED_FILE.replace('CHECKSUM', written.checksum));
      expect(written.bytes).toBe(Buffer.byteLength(text));
      expect(await readdir(dir)).toEqual(['snap.json']);
    });

    it('writes an empty table as "data": {}', async () => {
      const path = join(dir, 'snap.json');
      const { checksum } = await writeSnapshotFile(path, [], 1);
      expect(checksum).toBe(sha256('[]'));
      expect(await readFile(path, 'utf8')).toBe(
        `{\n  "checksum": "${checksum}",\n  "created_at": 1,\n  "data": {},\n  "version": 1\n}`,
      );
    });

    it('sorts keys by UTF-8 bytes and escapes like Jason', async () => {
      const path = join(dir, 'snap.json');
      await writeSnapshotFile(
        path,
        [
          ['😀', { value: 'a', expiresAt: null }],
          ['\uffff', { value: 'b', expiresAt: null }],
          ['k\u001f', { value: 'Ж/', expiresAt: null }],
        ],
        1,
      );
      const text = await readFile(path, 'utf8');
      expect(text.indexOf('"k\\u001F"')).toBeLessThan(text.indexOf('"\uffff"'));
      expect(text.indexOf('"\uffff"')).toBeLessThan(text.indexOf('"😀"'));
      expect(text).toContain('"value": "Ж/"');
    });
  });

  describe(readSnapshotFile.name, () => {
    it('reads back what was written, verified', async () => {
      const path = join(dir, 'snap.json');
      const entries: [string, { value: string; expiresAt: number | null }][] = [
        ['ключ', { value: '日本\n', expiresAt: 7 }],
      ];
      const { checksum } = await writeSnapshotFile(path, entries, 9);
      const loaded = await readSnapshotFile(path);
      expect(loaded?.snapshot).toEqual({
        entries,
        checksum,
        createdAt: 9,
        format: 'verified',
        invalidEntries: 0,
      });
    });

    it('returns null when there is no snapshot', async () => {
      expect(await readSnapshotFile(join(dir, 'missing.json'))).toBeNull();
    });

    it('detects a single flipped byte', async () => {
      const path = join(dir, 'snap.json');
      await writeSnapshotFile(path, [['hello', { value: 'world', expiresAt: null }]], 1);
      const bytes = await readFile(path);
      const at = bytes.indexOf('world');
      bytes[at] = bytes[at]! ^ 0x01;
      await writeFile(path, bytes);
      const failure = await readSnapshotFile(path).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SnapshotCorruptionError);
      expect((failure as SnapshotCorruptionError).code).toBe('MESH_TOSKASTORE_SNAPSHOT_CORRUPT');
      expect((failure as SnapshotCorruptionError).message).toContain('checksum mismatch');
    });
  });

  describe(parseSnapshot.name, () => {
    it('loads a legacy bare map unverified, entries as objects or plain strings', () => {
      const parsed = parseSnapshot('{"a":"1","b":{"value":"2","expires_at":5},"c":{"value":3}}', 'x', true);
      expect(parsed).toEqual({
        entries: [
          ['a', { value: '1', expiresAt: null }],
          ['b', { value: '2', expiresAt: 5 }],
        ],
        checksum: null,
        createdAt: null,
        format: 'legacy',
        invalidEntries: 1,
      });
    });

    it('loads a snapshot without checksum unverified', () => {
      expect(parseSnapshot('{"data":{"a":{"value":"1","expires_at":null}}}', 'x', true).format).toBe(
        'unverified',
      );
    });

    it('verifies data it did not write itself with the generic canonical form', () => {
      const data = { b: { value: '2', expires_at: null, extra: [1] }, a: { expires_at: 3, value: '1' } };
      const checksum = sha256(
        '[["a",[["expires_at",3],["value","1"]]],["b",[["expires_at",null],["extra",[1]],["value","2"]]]]',
      );
      const parsed = parseSnapshot(JSON.stringify({ checksum, data, version: 1 }), 'x', false);
      expect(parsed.format).toBe('verified');
      expect(() => parseSnapshot(JSON.stringify({ checksum: 'bad', data }), 'x', false)).toThrow(
        SnapshotCorruptionError,
      );
    });

    it('rejects text that is not a JSON object', () => {
      expect(() => parseSnapshot('{"data": {', 'x', true)).toThrow(/not JSON/);
      expect(() => parseSnapshot('[]', 'x', true)).toThrow(/not a JSON object/);
    });
  });

  describe(snapshotChecksum.name, () => {
    it('hashes large tables in pieces to the same sum as one string', () => {
      const entries: [string, { value: string; expiresAt: number | null }][] = [];
      for (let i = 0; i < 30_000; i++)
        entries.push([`key-${String(i).padStart(6, '0')}`, { value: 'v'.repeat(40), expiresAt: null }]);
      const whole = `[${entries.map(([key, entry]) => `["${key}",[["expires_at",null],["value","${entry.value}"]]]`).join(',')}]`;
      expect(snapshotChecksum(entries)).toBe(sha256(whole));
    });
  });
});
