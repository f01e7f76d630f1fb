import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KeyValueModuleOptions } from '@toskamesh/key-value';
import { MeshServiceHost, type MeshServiceHandle } from '@toskamesh/runtime';
import { eventually, freePort } from '@toskamesh/testing';
import { ProfileModule, profileStoreOptions } from '../src/profile.module.js';

/** The built `toska-store` command (`npm test` builds first). */
const TOSKA_STORE_CLI = fileURLToPath(new URL('../../../apps/toska-store/dist/cli/main.js', import.meta.url));

/** A store for one run of the suite: the demo's options, and how to stop what was started for it. */
interface StoreUnderTest {
  options: KeyValueModuleOptions;
  close(): Promise<void>;
}

/** A real toska-store server process with auth on, in a temporary data directory. */
async function startToskaStore(token: string): Promise<{ url: string; close(): Promise<void> }> {
  if (!existsSync(TOSKA_STORE_CLI)) throw new Error(`${TOSKA_STORE_CLI} is missing: run \`npm run build\``);
  const dir = mkdtempSync(join(tmpdir(), 'profile-demo-toska-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [TOSKA_STORE_CLI, 'start', '--host', '127.0.0.1', '--port', String(port)],
    {
      env: { PATH: process.env.PATH ?? '', TOSKA_CONFIG_DIR: dir, TOSKA_AUTH_TOKEN: token },
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`toska-store exited with ${child.exitCode}`);
        expect((await fetch(`${url}/health`)).status).toBe(200);
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
  } catch (error) {
    await close();
    throw error;
  }
  return { url, close };
}

/** The same API tests, with the store chosen by configuration only (the .NET variables). */
const STORES: Array<[string, () => Promise<StoreUnderTest>]> = [
  ['memory', async () => ({ options: profileStoreOptions({}), close: async () => undefined })],
  [
    'redis',
    async () => ({
      options: profileStoreOptions({
        Mesh__KeyValue__Provider: 'Redis',
        Mesh__KeyValue__Redis__ConnectionString: 'redis://127.0.0.1:6379',
        Mesh__Service__ServiceName: `profile-demo-test-${randomBytes(4).toString('hex')}`,
      }),
      close: async () => undefined,
    }),
  ],
  [
    'toskastore',
    async () => {
      const token = randomBytes(16).toString('hex');
      const server = await startToskaStore(token);
      return {
        options: profileStoreOptions({
          Mesh__KeyValue__Provider: 'ToskaStore',
          Mesh__KeyValue__ToskaStore__BaseUrl: server.url,
          Mesh__KeyValue__ToskaStore__AuthToken: token,
        }),
        close: server.close,
      };
    },
  ],
];

describe.each(STORES)('profile-kv-store-demo on the %s store', (_name, startStore) => {
  let store: StoreUnderTest;
  let service: MeshServiceHandle;
  const put = (id: string, body: unknown) =>
    fetch(`${service.url}/profiles/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    store = await startStore();
    service = await MeshServiceHost.start(ProfileModule.register(store.options), {
      service: { name: 'profile-kv-store-demo', port: 0, address: '127.0.0.1' },
      registration: { enabled: false },
      auth: { secret: 'profile-demo-test-secret-0123456789abcdef' },
      logging: { level: 'silent' },
      env: {},
    });
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    await store?.close();
  });

  it('creates with 201, trims fields and de-duplicates tags case-insensitively', async () => {
    const response = await put('ada', {
      displayName: '  Ada  ',
      email: 'ada@example.org',
      tags: ['Math', 'math', ' poetry '],
    });
    expect(response.status).toBe(201);
    const profile = (await response.json()) as Record<string, unknown>;
    expect(profile).toMatchObject({
      id: 'ada',
      displayName: 'Ada',
      email: 'ada@example.org',
      bio: null,
      tags: ['Math', 'poetry'],
    });
    expect(profile.createdUtc).toBe(profile.updatedUtc);
  });

  it('updates with 200 and keeps createdUtc', async () => {
    const created = (await (await put('grace', { displayName: 'Grace' })).json()) as { createdUtc: string };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const response = await put('grace', { displayName: 'Grace Hopper', bio: 'COBOL' });
    expect(response.status).toBe(200);
    const updated = (await response.json()) as { createdUtc: string; updatedUtc: string; bio: string };
    expect(updated.createdUtc).toBe(created.createdUtc);
    expect(updated.updatedUtc > created.createdUtc).toBe(true);
    expect((await (await fetch(`${service.url}/profiles/grace`)).json()) as unknown).toMatchObject({
      bio: 'COBOL',
    });
  });

  it('lists profiles with a clamped limit', async () => {
    await put('linus', { displayName: 'Linus' });
    const all = (await (await fetch(`${service.url}/profiles`)).json()) as {
      count: number;
      profiles: Array<{ id: string }>;
    };
    expect(all.count).toBe(all.profiles.length);
    expect(all.profiles.map((p) => p.id)).toEqual(expect.arrayContaining(['ada', 'grace', 'linus']));
    const one = (await (await fetch(`${service.url}/profiles?limit=0`)).json()) as { count: number };
    expect(one.count).toBe(1);
  });

  it('deletes with 204, then answers 404', async () => {
    await put('temp', { displayName: 'Temp' });
    expect((await fetch(`${service.url}/profiles/temp`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${service.url}/profiles/temp`)).status).toBe(404);
    expect((await fetch(`${service.url}/profiles/temp`, { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 400 problem+json for an invalid body or id, listing every rule', async () => {
    const bad = await put('x', { displayName: '', email: 'nope', tags: 'a' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await bad.json()) as { errors: string[] }).errors).toEqual([
      'displayName is required',
      'email must be an email address (got "nope")',
      'tags must be an array of strings',
    ]);
    expect((await fetch(`${service.url}/profiles/${encodeURIComponent('bad id')}`)).status).toBe(400);
  });
});
