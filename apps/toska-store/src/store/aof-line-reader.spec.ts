import { describe, expect, it } from '@jest/globals';
import { forEachAofLine, type AofLine } from './aof-line-reader.js';

/** A read-only handle over bytes in memory. */
function memoryFile(bytes: Buffer): {
  read: (b: Buffer, o: number, l: number, p: number) => Promise<{ bytesRead: number }>;
} {
  return {
    read: async (buffer, offset, length, position) => ({
      bytesRead: bytes.copy(buffer, offset, position, Math.min(position + length, bytes.length)),
    }),
  };
}

type SeenLine = Omit<AofLine, 'bytes'> & { text: string };

async function lines(text: string, chunkBytes: number): Promise<SeenLine[]> {
  const bytes = Buffer.from(text, 'utf8');
  const seen: SeenLine[] = [];
  await forEachAofLine(
    memoryFile(bytes),
    bytes.length,
    (line) =>
      seen.push({ offset: line.offset, terminated: line.terminated, text: line.bytes.toString('utf8') }),
    chunkBytes,
  );
  return seen;
}

describe(forEachAofLine.name, () => {
  it('stitches lines across chunk boundaries and reports byte offsets', async () => {
    const text = 'first line\nжж second\n\nlast-without-newline';
    for (const chunkBytes of [1, 3, 7, 1024]) {
      expect(await lines(text, chunkBytes)).toEqual([
        { offset: 0, terminated: true, text: 'first line' },
        { offset: 11, terminated: true, text: 'жж second' },
        { offset: 23, terminated: true, text: '' },
        { offset: 24, terminated: false, text: 'last-without-newline' },
      ]);
    }
  });

  it('reports nothing for an empty file and no tail after a final newline', async () => {
    expect(await lines('', 4)).toEqual([]);
    expect(await lines('a\n', 4)).toEqual([{ offset: 0, terminated: true, text: 'a' }]);
  });
});
