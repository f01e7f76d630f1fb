// The `npm start` path end to end: `toska up` from the built CLI brings up discovery, hello and adder as
// separate processes; the services resolve through discovery and answer; SIGINT stops everything.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@toskamesh/testing';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = `${ROOT}apps/cli/dist/main.js`;

interface WireInstance {
  address: string;
  port: number;
  status: number;
}

describe('toska up (npm start)', () => {
  let cli: ChildProcess;
  let output = '';
  let exited: Promise<number | null>;
  const ports: Record<string, number> = {};
  const dataDir = mkdtempSync(join(tmpdir(), 'toska-mesh-'));

  beforeAll(async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
    for (const name of ['DISCOVERY', 'DISCOVERY_GRPC', 'HELLO', 'ADDER', 'STORE', 'PROFILE', 'GATEWAY'])
      ports[name] = await freePort();
    cli = spawn(process.execPath, [CLI, 'up'], {
      env: {
        PATH: process.env.PATH ?? '',
        LOG_LEVEL: 'warn',
        TOSKA_DISCOVERY_PORT: String(ports.DISCOVERY),
        TOSKA_DISCOVERY_GRPC_PORT: String(ports.DISCOVERY_GRPC),
        TOSKA_HELLO_PORT: String(ports.HELLO),
        TOSKA_ADDER_PORT: String(ports.ADDER),
        TOSKA_STORE_PORT: String(ports.STORE),
        TOSKA_PROFILE_PORT: String(ports.PROFILE),
        TOSKA_GATEWAY_PORT: String(ports.GATEWAY),
        TOSKA_MESH_DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    cli.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => cli.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!output.includes('ToskaMesh local mesh is up')) {
      if (Date.now() > deadline || cli.exitCode !== null)
        throw new Error(`the mesh did not come up:\n${output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 90_000);

  afterAll(async () => {
    if (cli.exitCode === null) cli.kill('SIGKILL');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the URL of every process', () => {
    expect(output).toContain(`http://127.0.0.1:${ports.DISCOVERY}/api/ServiceDiscovery/services`);
    expect(output).toContain(`http://127.0.0.1:${ports.HELLO}/hello`);
    expect(output).toContain(`http://127.0.0.1:${ports.ADDER}/add?a=2&b=3`);
    expect(output).toContain(`http://127.0.0.1:${ports.STORE}/status`);
    expect(output).toContain(`http://127.0.0.1:${ports.PROFILE}/profiles`);
    expect(output).toContain(`http://127.0.0.1:${ports.GATEWAY}/api/hello-mesh-service/hello`);
  });

  it('routes /api/<service>/... through the gateway to every example service', async () => {
    const gateway = `http://127.0.0.1:${ports.GATEWAY}`;
    const hello = await fetch(`${gateway}/api/hello-mesh-service/hello`);
    expect(hello.status).toBe(200);
    expect(await hello.json()).toEqual({ message: 'Hello from ToskaMesh' });
    const sum = await fetch(`${gateway}/api/adder-mesh-service/add?a=2&b=3`);
    expect(await sum.json()).toEqual({ a: 2, b: 3, sum: 5 });
    const unknown = await fetch(`${gateway}/api/no-such-service/x`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
  });

  it('stores profiles in toska-store through the demo, under its data dir', async () => {
    const profiles = `http://127.0.0.1:${ports.PROFILE}/profiles`;
    const created = await fetch(`${profiles}/ada`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ displayName: 'Ada' }),
    });
    expect(created.status).toBe(201);
    expect(await (await fetch(`${profiles}/ada`)).json()).toMatchObject({ id: 'ada', displayName: 'Ada' });
    const status = (await (await fetch(`http://127.0.0.1:${ports.STORE}/status`)).json()) as {
      status: string;
    };
    expect(status.status).toBe('running');
    expect(existsSync(join(dataDir, 'data'))).toBe(true);
  });

  it('serves hello and adder at the addresses discovery resolves', async () => {
    const discovery = `http://127.0.0.1:${ports.DISCOVERY}/api/ServiceDiscovery/services`;
    const resolve = async (service: string) => {
      const reply = (await (await fetch(`${discovery}/${service}/instances/healthy`)).json()) as {
        data: WireInstance[];
      };
      expect(reply.data).toHaveLength(1);
      return `http://${reply.data[0]!.address}:${reply.data[0]!.port}`;
    };
    const hello = await resolve('hello-mesh-service');
    expect(await (await fetch(`${hello}/hello`)).json()).toEqual({ message: 'Hello from ToskaMesh' });
    const adder = await resolve('adder-mesh-service');
    expect(await (await fetch(`${adder}/add?a=2&b=3`)).json()).toEqual({ a: 2, b: 3, sum: 5 });
  });

  it('stops every process on SIGINT, dependants first', async () => {
    cli.kill('SIGINT');
    expect(await exited).toBe(0);
    const stopped = [...output.matchAll(/\[toska\] (\S+) stopped/g)].map((match) => match[1]);
    expect(stopped.at(-1)).toBe('discovery');
    expect(new Set(stopped)).toEqual(
      new Set([
        'discovery',
        'hello-mesh-service',
        'adder-mesh-service',
        'toska-store',
        'profile-kv-store-demo',
        'gateway',
      ]),
    );
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/`)).rejects.toThrow();
    }
  });
});
