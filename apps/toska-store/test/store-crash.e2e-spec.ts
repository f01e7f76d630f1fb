import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AofCorruptionError } from '../src/store/errors/aof-corruption.error.js';
import { SnapshotCorruptionError } from '../src/store/errors/snapshot-corruption.error.js';
import { FileKvEngine } from '../src/store/file-kv.engine.js';
import { engineOptions, RecordingLogger, tempDataDir } from './fixtures/engine-harness.js';

const WRITER = fileURLToPath(new URL('./fixtures/engine-writer.mjs', import.meta.url));
const SOURCES = fileURLToPath(new URL('../src/store/', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/store/file-kv.engine.js', import.meta.url));
const BUILD_INFO = fileURLToPath(new URL('../dist/.tsbuildinfo', import.meta.url));
const ROUNDS = 4;

/** What the child reported: acked puts (key -> value), deletes it issued, and deletes acknowledged. */
interface Acks {
  puts: Map<string, string>;
  deleting: Set<string>;
  dels: Set<string>;
}

function assertBuilt(): void {
  if (!existsSync(BUILT)) {
    throw new Error(
      `${BUILT} is missing: run "npx tsc -b apps/toska-store/tsconfig.build.json" (npm test builds first)`,
    );
  }
  // tsc -b rewrites its build info on every build that changed anything; outputs of unchanged files are not.
  const built = statSync(existsSync(BUILD_INFO) ? BUILD_INFO : BUILT).mtimeMs;
  const stale = readdirSync(SOURCES).filter(
    (name) =>
      name.endsWith('.ts') && !name.endsWith('.spec.ts') && statSync(join(SOURCES, name)).mtimeMs > built,
  );
  if (stale.length > 0) {
    throw new Error(
      `dist is older than src/store/${stale[0]}: rebuild with "npx tsc -b apps/toska-store/tsconfig.build.json"`,
    );
  }
}

/** Starts the writer, SIGKILLs it 200–1500 ms after it is ready, returns what it acknowledged. */
async function runAndKill(
  dataDir: string,
  round: number,
  variant: 'plain' | 'compaction',
  acks: Acks,
): Promise<string> {
  const child = spawn(process.execPath, [WRITER, dataDir, String(round), variant], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const ready = await new Promise<boolean>((resolve) => {
    const check = setInterval(() => {
      if (stdout.startsWith('ready\n') || child.exitCode !== null) {
        clearInterval(check);
        clearTimeout(giveUp);
        resolve(stdout.startsWith('ready\n'));
      }
    }, 5);
    const giveUp = setTimeout(() => {
      clearInterval(check);
      resolve(false);
    }, 15_000);
  });
  if (ready) await new Promise((resolve) => setTimeout(resolve, 200 + Math.floor(Math.random() * 1300)));
  child.kill('SIGKILL');
  await closed;
  if (!ready) throw new Error(`writer did not start (exit ${child.exitCode}): ${stderr}`);
  const lines = stdout.split('\n');
  lines.pop(); // the last line may be cut off by the kill
  for (const line of lines) {
    const [kind, key, value] = line.split(' ');
    if (kind === 'ack') acks.puts.set(key!, value!);
    if (kind === 'deleting') acks.deleting.add(key!);
    if (kind === 'del') acks.dels.add(key!);
  }
  return stderr;
}

/**
 * Every acknowledged put is present with its value, and every acknowledged delete is absent. A key whose
 * delete was issued but not acknowledged may be either (the kill may have come after the record was
 * written but before the reply).
 */
function missingAcks(engine: FileKvEngine, acks: Acks): string[] {
  const problems: string[] = [];
  for (const [key, value] of acks.puts) {
    if (acks.dels.has(key)) continue;
    const found = engine.get(key)?.value;
    if (found === undefined && acks.deleting.has(key)) continue;
    if (found !== value) problems.push(`${key}: expected ${value}, found ${found}`);
  }
  for (const key of acks.dels) if (engine.get(key)) problems.push(`${key}: deleted but present`);
  return problems;
}

describe(`${FileKvEngine.name} crash safety (real processes, SIGKILL)`, () => {
  const dirs: { dir: string; remove: () => Promise<void> }[] = [];

  beforeAll(() => assertBuilt());
  afterAll(() => Promise.all(dirs.map((entry) => entry.remove())));

  for (const variant of ['plain', 'compaction'] as const) {
    it(`keeps every acknowledged write across ${ROUNDS} kills (${variant})`, async () => {
      const data = await tempDataDir();
      dirs.push(data);
      const acks: Acks = { puts: new Map(), deleting: new Set(), dels: new Set() };
      for (let round = 1; round <= ROUNDS; round++) {
        const before = acks.puts.size;
        await runAndKill(data.dir, round, variant, acks);
        expect(acks.puts.size - before).toBeGreaterThan(10);
        const engine = await FileKvEngine.open(engineOptions(data.dir), new RecordingLogger());
        try {
          expect(missingAcks(engine, acks)).toEqual([]);
        } finally {
          await engine.close();
        }
      }
      if (variant === 'compaction') {
        expect(existsSync(join(data.dir, 'toska_snapshot.json'))).toBe(true);
      }
    }, 90_000);
  }

  it('detects a truncated AOF tail and a flipped snapshot byte in files a killed writer left', async () => {
    const data = await tempDataDir();
    dirs.push(data);
    const acks: Acks = { puts: new Map(), deleting: new Set(), dels: new Set() };
    await runAndKill(data.dir, 1, 'plain', acks);
    const aofPath = join(data.dir, 'toska.aof');
    const aof = await readFile(aofPath);
    const lastLineStart = aof.lastIndexOf(10, aof.length - 2) + 1;
    await truncate(aofPath, lastLineStart + Math.floor((aof.length - 1 - lastLineStart) / 2));

    const logger = new RecordingLogger();
    const engine = await FileKvEngine.open(engineOptions(data.dir), logger);
    expect(logger.warnings.join('\n')).toMatch(/dropping a torn final record/);
    expect((await readFile(aofPath)).length).toBe(lastLineStart);
    await engine.snapshotNow();
    await engine.close();

    const snapshotPath = join(data.dir, 'toska_snapshot.json');
    const snapshot = await readFile(snapshotPath);
    const at = snapshot.indexOf('"value": "v') + 12;
    snapshot[at] = snapshot[at]! ^ 0x04;
    await writeFile(snapshotPath, snapshot);
    const failure = await FileKvEngine.open(engineOptions(data.dir), new RecordingLogger()).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SnapshotCorruptionError);
    expect(failure).not.toBeInstanceOf(AofCorruptionError);
  }, 60_000);
});
