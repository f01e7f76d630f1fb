import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

interface NodeFlagsFile {
  flags: { flag: string; why: string }[];
}

const read = (file: string): unknown => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8'));
const { flags } = read('../node-flags.json') as NodeFlagsFile;
const list = flags.map((entry) => entry.flag);

describe('node-flags.json (the flags every launcher of the gateway passes)', () => {
  it('gives a reason for every flag', () => {
    expect(list.length).toBeGreaterThan(0);
    for (const entry of flags) expect(entry.why.length).toBeGreaterThan(20);
  });

  it('is what the package start script passes', () => {
    const { scripts } = read('../package.json') as { scripts: { start: string } };
    expect(scripts.start).toBe(`node ${list.join(' ')} dist/main.js`);
  });

  it('is accepted by this Node (a Node upgrade that drops a V8 flag fails here, not at deploy time)', () => {
    const result = spawnSync(process.execPath, [...list, '-e', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
