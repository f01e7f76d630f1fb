// Real processes: the built discovery app and the built hello service, talking over HTTP, with the
// discovery store in real Redis. Shows the runtime's lifecycle in a mesh: registration, SIGKILL
// expiry, SIGTERM drain with deregistration before exit, and re-registration after a discovery restart.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@toskamesh/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DISCOVERY_MAIN = `${ROOT}apps/discovery/dist/main.js`;
const HELLO_MAIN = `${ROOT}examples/hello-mesh-service/dist/main.js`;
const SECRET = randomBytes(48).toString('base64url');
const HEALTH_INTERVAL_S = 1; // TTL = 3 s
const TTL_MS = 3 * HEALTH_INTERVAL_S * 1000;

interface Running {
  child: ChildProcess;
  output: string[];
  /** Resolves with the exit code, or the signal when it ended by one. */
  exited: Promise<number | NodeJS.Signals | null>;
}

const running: Running[] = [];

function launch(main: string, env: Record<string, string>): Running {
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '', MESH_SERVICE_AUTH_SECRET: SECRET, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  child.stderr!.on('data', (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean)));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const handle = { child, output, exited };
  running.push(handle);
  return handle;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The list, or `undefined` while it is empty (for `until`). */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

interface WireInstance {
  serviceId: string;
  port: number;
  status: number;
}

class Mesh {
  discovery!: Running;
  readonly discoveryUrl: string;

  constructor(
    private readonly discoveryPort: number,
    private readonly store: Record<string, string>,
  ) {
    this.discoveryUrl = `http://127.0.0.1:${discoveryPort}`;
  }

  async startDiscovery(): Promise<void> {
    this.discovery = launch(DISCOVERY_MAIN, {
      Discovery__Port: String(this.discoveryPort),
      Discovery__GrpcPort: '0',
      Discovery__AllowAnonymousReads: 'true',
      ...this.store,
    });
    await until(
      'discovery',
      async () => ((await fetch(`${this.discoveryUrl}/api/ServiceDiscovery/services`)).ok ? true : undefined),
      20_000,
    );
  }

  async startHello(): Promise<{ process: Running; url: string; port: number }> {
    const port = await freePort();
    const process = launch(HELLO_MAIN, {
      Mesh__Service__Port: String(port),
      Mesh__Service__Address: '127.0.0.1',
      Mesh__Service__HealthInterval: String(HEALTH_INTERVAL_S),
      Mesh__Registry__Provider: 'Discovery',
      Mesh__Registry__Discovery__Url: this.discoveryUrl,
    });
    const url = `http://127.0.0.1:${port}`;
    await until('hello', async () => ((await fetch(`${url}/health/ready`)).ok ? true : undefined), 20_000);
    return { process, url, port };
  }

  /** Healthy hello instances listening on `port` (earlier tests' instances may linger in the shared store). */
  healthyHello(port: number): Promise<WireInstance[]> {
    return this.instances('/instances/healthy', port);
  }

  /** Hello instances on `port` in any state. */
  allHello(port: number): Promise<WireInstance[]> {
    return this.instances('/instances', port);
  }

  private async instances(path: string, port: number): Promise<WireInstance[]> {
    const response = await fetch(
      `${this.discoveryUrl}/api/ServiceDiscovery/services/hello-mesh-service${path}`,
    );
    return ((await response.json()) as { data: WireInstance[] }).data.filter(
      (instance) => instance.port === port,
    );
  }
}

beforeAll(() => {
  for (const main of [DISCOVERY_MAIN, HELLO_MAIN]) {
    if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first (npm test does)`);
  }
});

afterEach(async () => {
  for (const { child, exited } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
});

describe('a MeshServiceHost service in a mesh of real processes', () => {
  describe('with discovery on a Redis store', () => {
    let mesh: Mesh;
    beforeAll(async () => {
      mesh = new Mesh(await freePort(), {
        Discovery__Store: 'Redis',
        Discovery__Redis__Url: 'redis://127.0.0.1:6379',
        Discovery__Redis__KeyPrefix: `toskamesh-test:${randomBytes(4).toString('hex')}`,
      });
    });

    it('appears healthy in discovery at its listening address', async () => {
      await mesh.startDiscovery();
      const hello = await mesh.startHello();
      const [instance] = await until(
        'a healthy hello',
        async () => nonEmpty(await mesh.healthyHello(hello.port)),
        10_000,
      );
      expect(instance).toMatchObject({ port: Number(new URL(hello.url).port), status: 1 });
    });

    it('turns unhealthy or expires within its TTL after SIGKILL', async () => {
      await mesh.startDiscovery();
      const hello = await mesh.startHello();
      await until(
        'a healthy hello',
        async () => ((await mesh.healthyHello(hello.port)).length ? true : undefined),
        10_000,
      );
      hello.process.child.kill('SIGKILL');
      const killedAt = Date.now();
      await until(
        'hello to leave the healthy list',
        async () => ((await mesh.healthyHello(hello.port)).length === 0 ? true : undefined),
        TTL_MS + 2000,
      );
      expect(Date.now() - killedAt).toBeLessThanOrEqual(TTL_MS + 1000);
    });

    it('deregisters before exiting on SIGTERM and finishes the request in flight', async () => {
      await mesh.startDiscovery();
      const hello = await mesh.startHello();
      await until(
        'a healthy hello',
        async () => ((await mesh.healthyHello(hello.port)).length ? true : undefined),
        10_000,
      );
      const slow = fetch(`${hello.url}/hello?delayMs=1500`, { headers: { connection: 'close' } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      hello.process.child.kill('SIGTERM');
      let goneBeforeExit = false;
      const watcher = (async () => {
        while (hello.process.child.exitCode === null && hello.process.child.signalCode === null) {
          if ((await mesh.allHello(hello.port)).length === 0) goneBeforeExit = true;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      })();
      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ message: 'Hello from ToskaMesh' });
      // Nest re-raises the signal once its shutdown hooks are done, so a clean stop ends by SIGTERM.
      expect(await hello.process.exited).toBe('SIGTERM');
      await watcher;
      expect(goneBeforeExit).toBe(true);
      expect(hello.process.output.some((line) => line.includes('Deregistered hello-mesh-service'))).toBe(
        true,
      );
    });
  });

  describe('with discovery on its in-memory store', () => {
    it('registers again by itself after discovery restarts empty', async () => {
      const mesh = new Mesh(await freePort(), { Discovery__Store: 'Memory' });
      await mesh.startDiscovery();
      const hello = await mesh.startHello();
      const [before] = await until(
        'a healthy hello',
        async () => nonEmpty(await mesh.healthyHello(hello.port)),
        10_000,
      );
      mesh.discovery.child.kill('SIGKILL');
      await mesh.discovery.exited;
      await mesh.startDiscovery();
      const [after] = await until(
        'hello to re-register',
        async () => nonEmpty(await mesh.healthyHello(hello.port)),
        10_000,
      );
      expect(after!.serviceId).toBe(before!.serviceId);
    });
  });
});

afterAll(async () => {
  for (const { child, exited } of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  }
});
