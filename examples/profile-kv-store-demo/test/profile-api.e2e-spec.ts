import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { KeyValueModuleOptions } from '@toskamesh/key-value';
import { MeshServiceHost, type MeshServiceHandle } from '@toskamesh/runtime';
import { ProfileModule } from '../src/profile.module.js';

/** The same API tests, with the store chosen by configuration only. */
const STORES: Array<[string, () => KeyValueModuleOptions]> = [
  ['memory', () => ({ provider: 'memory', keyPrefix: 'profiles' })],
  [
    'redis',
    () => ({
      provider: 'redis',
      redis: { url: 'redis://127.0.0.1:6379' },
      keyPrefix: `profile-demo-test-${randomBytes(4).toString('hex')}`,
    }),
  ],
];

describe.each(STORES)('profile-kv-store-demo on the %s store', (_name, storeOptions) => {
  let service: MeshServiceHandle;
  const put = (id: string, body: unknown) =>
    fetch(`${service.url}/profiles/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    service = await MeshServiceHost.start(ProfileModule.register(storeOptions()), {
      service: { name: 'profile-kv-store-demo', port: 0, address: '127.0.0.1' },
      registration: { enabled: false },
      auth: { secret: 'profile-demo-test-secret-0123456789abcdef' },
      logging: { level: 'silent' },
      env: {},
    });
  });
  afterAll(() => service.close());

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
