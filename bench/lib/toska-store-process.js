import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const CLI = fileURLToPath(new URL('../../apps/toska-store/dist/cli/main.js', import.meta.url));

/**
 * Starts the built toska-store server as its own process through its CLI, with a fresh data and config
 * directory and the given `sync_mode` (set with `toska-store config set`, as an operator would).
 */
export async function startToskaStore({ syncMode = 'interval', authToken = '' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'toska-bench-'));
  const env = {
    ...process.env,
    TOSKA_CONFIG_DIR: dir,
    TOSKA_DATA_DIR: join(dir, 'data'),
    TOSKA_AUTH_TOKEN: authToken,
  };
  const set = spawnSync(process.execPath, [CLI, 'config', 'set', 'sync_mode', syncMode], {
    env,
    encoding: 'utf8',
  });
  if (set.status !== 0) throw new Error(`toska-store config set failed: ${set.stderr || set.stdout}`);
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'start', '--host', '127.0.0.1', '--port', String(port)], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('toska-store did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
