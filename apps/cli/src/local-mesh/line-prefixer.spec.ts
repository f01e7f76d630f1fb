import { describe, expect, it } from '@jest/globals';
import { LinePrefixer } from './line-prefixer.js';

async function run(chunks: string[]): Promise<string> {
  const prefixer = new LinePrefixer('svc | ');
  const out: string[] = [];
  prefixer.on('data', (chunk: Buffer) => out.push(chunk.toString()));
  const ended = new Promise((resolve) => prefixer.on('end', resolve));
  for (const chunk of chunks) prefixer.write(Buffer.from(chunk));
  prefixer.end();
  await ended;
  return out.join('');
}

describe(LinePrefixer.name, () => {
  it('prefixes whole lines even when a line arrives in pieces', async () => {
    expect(await run(['hel', 'lo\nwor', 'ld\r\n'])).toBe('svc | hello\nsvc | world\n');
  });

  it('flushes a trailing partial line at the end', async () => {
    expect(await run(['a\nb'])).toBe('svc | a\nsvc | b\n');
  });
});
