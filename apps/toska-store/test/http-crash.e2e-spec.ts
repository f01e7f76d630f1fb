// Crash safety as a client sees it: a writer PUTs and DELETEs over HTTP against the real server process
// (started through its CLI, sync_mode=always) while the server is SIGKILLed at a random moment. After a
// restart on the same data directory, every write that got a 2xx answer is there with its value and every
// acknowledged delete is gone. A second variant compacts continuously while it is killed.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import { freePort } from '@toskamesh/testing';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const WRITERS = 8;

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
}

const started: Server[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const { child, exited } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(config: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'toska-http-crash-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'toska_config.json'), JSON.stringify({ sync_mode: 'always', ...config }));
  return dir;
}

async function start(dir: string, port: number): Promise<Server> {
  const child = spawn(process.execPath, [CLI, 'start', '--host', '127.0.0.1', '--port', String(port)], {
    env: { PATH: process.env.PATH ?? '', TOSKA_CONFIG_DIR: dir, TOSKA_DATA_DIR: join(dir, 'data') },
    stdio: 'ignore',
  });
  const server = {
    child,
    url: `http://127.0.0.1:${port}`,
    exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
  };
  started.push(server);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const health = await fetch(`${server.url}/health`).catch(() => undefined);
    if (health?.ok) return server;
    if (Date.now() > deadline || child.exitCode !== null)
      throw new Error(`toska-store did not start on ${server.url}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** What a key may hold after the crash: its last acknowledged state, or the write still in flight at the kill. */
interface KeyOutcome {
  acked?: string | null;
  inFlight?: string | null;
}

/** Writes until the server dies; returns, per key touched, its last acknowledged and in-flight states. */
async function writeUntilKilled(url: string): Promise<Map<string, KeyOutcome>> {
  const outcomes = new Map<string, KeyOutcome>();
  let stop = false;
  const writer = async (id: number) => {
    for (let n = 0; !stop && n < 100_000; n++) {
      const key = `w${id}-k${n % 50}`;
      const remove = n % 7 === 6;
      const value = remove ? null : `v${n}-${'é'.repeat(n % 3)}`;
      const outcome = outcomes.get(key) ?? {};
      outcomes.set(key, { ...outcome, inFlight: value });
      try {
        const response = await fetch(`${url}/kv/${key}`, {
          method: remove ? 'DELETE' : 'PUT',
          headers: { 'content-type': 'application/json' },
          body: remove ? undefined : JSON.stringify({ value }),
        });
        // A 2xx is an acknowledgement; the write is no longer merely in flight.
        if (response.ok) outcomes.set(key, { acked: value });
        await response.body?.cancel();
      } catch {
        stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, id) => writer(id)));
  return outcomes;
}

async function crashRound(config: Record<string, unknown>): Promise<number> {
  const dir = dataDir(config);
  const port = await freePort();
  const first = await start(dir, port);
  const killAfterMs = 200 + Math.floor(Math.random() * 1300);
  setTimeout(() => first.child.kill('SIGKILL'), killAfterMs).unref();
  const outcomes = await writeUntilKilled(first.url);
  await first.exited;
  const second = await start(dir, port);
  const keys = [...outcomes.keys()];
  const reply = (await (
    await fetch(`${second.url}/kv/mget`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ keys }),
    })
  ).json()) as { values: Record<string, string | null> };
  let acknowledged = 0;
  for (const [key, outcome] of outcomes) {
    const wasAcked = 'acked' in outcome;
    if (wasAcked) acknowledged += 1;
    // The last acknowledged state (absent before any acknowledgement), or the write still in flight.
    const allowed = [wasAcked ? outcome.acked : null, ...('inFlight' in outcome ? [outcome.inFlight] : [])];
    expect({ key, allowed }).toEqual({ key, allowed: expect.arrayContaining([reply.values[key] ?? null]) });
  }
  return acknowledged;
}

describe('toska-store over HTTP, SIGKILL under load (sync_mode=always)', () => {
  it('keeps every acknowledged write across a kill at a random moment', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    for (let round = 0; round < 3; round++) expect(await crashRound({})).toBeGreaterThan(0);
  }, 90_000);

  it('keeps them while compaction runs continuously', async () => {
    for (let round = 0; round < 2; round++) {
      expect(await crashRound({ compaction_aof_bytes: 1, compaction_interval_ms: 5 })).toBeGreaterThan(0);
    }
  }, 90_000);
});
