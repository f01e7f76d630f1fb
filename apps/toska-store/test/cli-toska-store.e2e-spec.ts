// The built `toska-store` command end to end, as `npx toska-store ...` runs it: `start` serves in the
// foreground with the original's TOSKA_* variables and stops cleanly on SIGTERM; `status` asks the
// running server; `config set/get/list/reset` edit toska_config.json in TOSKA_CONFIG_DIR.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, freePort } from '@toskamesh/testing';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'apps/toska-store/dist/cli/main.js');
const TOKEN = 'cli-e2e-token';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('toska-store command', () => {
  let configDir: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  /** Runs a short command (config, status) to completion. */
  const run = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });

  beforeAll(async () => {
    // Test the current sources, not a stale dist.
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'apps/toska-store/tsconfig.build.json'],
      { cwd: ROOT, stdio: 'pipe' },
    );
    configDir = await mkdtemp(join(tmpdir(), 'toska-cli-config-'));
    dataDir = await mkdtemp(join(tmpdir(), 'toska-cli-data-'));
    env = {
      PATH: process.env.PATH ?? '',
      HOME: configDir,
      TOSKA_CONFIG_DIR: configDir,
      TOSKA_DATA_DIR: dataDir,
      TOSKA_AUTH_TOKEN: TOKEN,
    };
  }, 120_000);

  afterAll(async () => {
    await rm(configDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  describe('start', () => {
    let server: ChildProcess;
    let output = '';
    let exited: Promise<number | null>;
    let base: string;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, [CLI, 'start', '--host', '127.0.0.1', '--port', String(port)], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      exited = new Promise((resolve) => server.once('exit', (code) => resolve(code)));
      const deadline = Date.now() + 30_000;
      while (!output.includes('toska-store listening on')) {
        if (Date.now() > deadline || server.exitCode !== null) {
          throw new Error(`toska-store start did not come up:\n${output.slice(-3000)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }, 60_000);

    afterAll(async () => {
      if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL');
      await exited;
    });

    it('serves /health on the given host and port', async () => {
      // 503 "starting" for the first 500 ms after the listener starts, as the original.
      await eventually(async () => {
        const response = await fetch(`${base}/health`);
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ status: 'healthy' });
      });
    });

    it('protects /kv with TOSKA_AUTH_TOKEN and stores in TOSKA_DATA_DIR', async () => {
      const unauthenticated = await fetch(`${base}/kv/greeting`);
      expect(unauthenticated.status).toBe(401);
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const write = await fetch(`${base}/kv/greeting`, {
        method: 'PUT',
        headers: auth,
        body: JSON.stringify({ value: 'hej' }),
      });
      expect(write.status).toBe(200);
      const reread = await fetch(`${base}/kv/greeting`, { headers: auth });
      expect(await reread.json()).toEqual({ key: 'greeting', value: 'hej' });
      expect(await readFile(join(dataDir, 'toska.aof'), 'utf8')).toContain('"key":"greeting"');
    });

    it('status prints the running server status as JSON', async () => {
      const { code, stdout } = await run('status', '--port', String(port));
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({ config: { host: '127.0.0.1', port } });
    });

    it('stops cleanly on SIGTERM', async () => {
      server.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toContain('toska-store: stopped');
    });

    it('status exits 1 with a clear message once nothing listens', async () => {
      const { code, stderr } = await run('status', '--port', String(port));
      expect(code).toBe(1);
      expect(stderr).toContain(`no server answers at http://127.0.0.1:${port}`);
    });
  });

  describe('config', () => {
    it('sets, gets, lists and resets values in toska_config.json', async () => {
      expect((await run('config', 'set', 'sync_mode', 'always')).code).toBe(0);
      expect((await run('config', 'set', 'compaction_aof_bytes', '2048')).code).toBe(0);
      expect(JSON.parse(await readFile(join(configDir, 'toska_config.json'), 'utf8'))).toEqual({
        sync_mode: 'always',
        compaction_aof_bytes: 2048,
      });
      expect((await run('config', 'get', 'sync_mode')).stdout).toBe('sync_mode: "always"\n');
      expect((await run('config', 'get', 'port')).stdout).toBe('port: 4000\n');
      const listed = JSON.parse((await run('config', 'list', '--json')).stdout) as Record<string, unknown>;
      expect(listed).toMatchObject({
        sync_mode: 'always',
        compaction_aof_bytes: 2048,
        data_dir: expect.any(String),
      });
      expect((await run('config', 'reset', 'sync_mode')).code).toBe(0);
      expect((await run('config', 'get', 'sync_mode')).stdout).toBe('sync_mode: "interval"\n');
      expect((await run('config', 'reset')).code).toBe(2);
      expect((await run('config', 'reset', '--confirm')).code).toBe(0);
      expect((await run('config', 'get', 'compaction_aof_bytes')).stdout).toBe(
        'compaction_aof_bytes: 10485760\n',
      );
    });

    it('refuses values the server would refuse, naming what is allowed', async () => {
      const badMode = await run('config', 'set', 'sync_mode', 'sometimes');
      expect(badMode.code).toBe(1);
      expect(badMode.stderr).toContain('always, interval, none');
      const badInterval = await run('config', 'set', 'sync_interval_ms', '0');
      expect(badInterval.code).toBe(1);
      const camel = await run('config', 'set', 'syncMode', 'always');
      expect(camel.stderr).toContain('did you mean "sync_mode"');
    });
  });

  describe('start on a corrupt AOF', () => {
    // Records without a checksum are accepted (as upstream); the middle one fails its checksum.
    const good = (key: string) => `{"expires_at":null,"key":"${key}","op":"set","v":1,"value":"${key}-v"}\n`;
    const bad = '{"checksum":"00","expires_at":null,"key":"b","op":"set","v":1,"value":"b-v"}\n';
    let corruptDir: string;

    beforeAll(async () => {
      corruptDir = await mkdtemp(join(tmpdir(), 'toska-cli-corrupt-'));
      await writeFile(join(corruptDir, 'toska.aof'), good('a') + bad + good('c'));
    });
    afterAll(() => rm(corruptDir, { recursive: true, force: true }));

    it('refuses to start, naming the byte offset of the bad record and the --repair flag', async () => {
      const { code, stderr } = await new Promise<Run>((resolve) => {
        execFile(
          process.execPath,
          [CLI, 'start', '--host', '127.0.0.1', '--port', '0'],
          { env: { ...env, TOSKA_DATA_DIR: corruptDir }, timeout: 20_000 },
          (error, stdout, stderr) =>
            resolve({
              code: error && typeof error.code === 'number' ? error.code : error ? -1 : 0,
              stdout,
              stderr,
            }),
        );
      });
      expect(code).toBe(1);
      expect(stderr).toContain(`corrupt at byte offset ${Buffer.byteLength(good('a'))} (line 2)`);
      expect(stderr).toContain('--repair');
    });

    it('starts with --repair, skipping only the bad record and keeping the damaged file aside', async () => {
      const child = spawn(
        process.execPath,
        [CLI, 'start', '--host', '127.0.0.1', '--port', '0', '--repair'],
        {
          env: { ...env, TOSKA_DATA_DIR: corruptDir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      try {
        await eventually(() => expect(output).toMatch(/listening on (http:\/\/127\.0\.0\.1:\d+)/), {
          timeoutMs: 30_000,
        });
        const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)![1]!;
        const mget = await fetch(`${base}/kv/mget`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ keys: ['a', 'b', 'c'] }),
        });
        expect(await mget.json()).toEqual({ values: { a: 'a-v', b: null, c: 'c-v' } });
        expect((await readdir(corruptDir)).some((name) => name.startsWith('toska.aof.corrupt-'))).toBe(true);
      } finally {
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
      }
    }, 60_000);
  });

  describe('the package bin', () => {
    it('is what `npx toska-store` runs from the repository root: the built CLI', async () => {
      const bin = join(ROOT, 'node_modules/.bin/toska-store');
      const { code, stdout } = await new Promise<Run>((resolve) => {
        execFile(process.execPath, [bin, '--version'], { env, timeout: 20_000 }, (error, out, err) =>
          resolve({ code: error ? -1 : 0, stdout: out, stderr: err }),
        );
      });
      expect(code).toBe(0);
      expect(stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    });
  });

  describe('start --daemon', () => {
    it('refuses with a message saying what to do instead', async () => {
      const { code, stderr } = await run('start', '--daemon');
      expect(code).toBe(2);
      expect(stderr).toContain('--daemon is not supported');
    });
  });
});
