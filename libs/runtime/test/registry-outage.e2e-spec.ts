import { afterAll, describe, expect, it } from '@jest/globals';
import { MeshRegistrationService, MeshServiceHost, type MeshServiceHandle } from '@toskamesh/runtime';
import { eventually } from '@toskamesh/testing';
import { FlakyRegistry } from './fixtures/flaky.registry.js';
import { ProbeModule, testSecret } from './fixtures/probe.app.js';

const SECRET = testSecret();

async function start(registry: FlakyRegistry, name: string): Promise<MeshServiceHandle> {
  return MeshServiceHost.start(ProbeModule, {
    service: { name, port: 0, address: '127.0.0.1' },
    registry: { provider: registry },
    // A short interval keeps heartbeats (every 200 ms) and retries quick; the TTL is 750 ms.
    registration: { healthIntervalMs: 250, retry: { initialMs: 20, maxMs: 100 }, callTimeoutMs: 1000 },
    auth: { secret: SECRET },
    logging: { level: 'silent' },
    nestOptions: { logger: false },
    env: {},
  });
}

describe(MeshRegistrationService.name, () => {
  describe('registry outage', () => {
    const registry = new FlakyRegistry();
    const handles: MeshServiceHandle[] = [];

    afterAll(async () => {
      await Promise.all(handles.map((handle) => handle.close()));
      await registry.close();
    });

    it('serves while the registry refuses registrations and registers once it is back', async () => {
      registry.failRegisters = Number.MAX_SAFE_INTEGER;
      const handle = await start(registry, 'outage-probe');
      handles.push(handle);
      await eventually(() => expect(registry.count('register')).toBeGreaterThanOrEqual(3));

      const hello = await fetch(`${handle.url}/hello`, { signal: AbortSignal.timeout(5000) });
      expect(hello.status).toBe(200);
      expect(await registry.instance(handle.serviceId)).toBeUndefined();
      expect(handle.app.get(MeshRegistrationService).state).toBe('registering');
      const ready = await fetch(`${handle.url}/health/ready`, { signal: AbortSignal.timeout(5000) });
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'Degraded',
        checks: expect.arrayContaining([
          expect.objectContaining({
            name: 'registry',
            status: 'Degraded',
            data: { registration: 'registering' },
          }),
        ]),
      });

      registry.failRegisters = 0;
      await eventually(async () =>
        expect((await registry.instance(handle.serviceId))?.status).toBe('Healthy'),
      );
      expect(handle.app.get(MeshRegistrationService).state).toBe('registered');
    });

    it('registers again after the registry restarted empty', async () => {
      const handle = await start(registry, 'restart-probe');
      handles.push(handle);
      await eventually(async () =>
        expect((await registry.instance(handle.serviceId))?.status).toBe('Healthy'),
      );
      const registrations = registry.calls.filter(
        (call) => call.operation === 'register' && call.serviceId === handle.serviceId,
      ).length;

      await registry.forgetAll();
      expect(await registry.instance(handle.serviceId)).toBeUndefined();

      await eventually(async () =>
        expect((await registry.instance(handle.serviceId))?.status).toBe('Healthy'),
      );
      const after = registry.calls.filter(
        (call) => call.operation === 'register' && call.serviceId === handle.serviceId,
      ).length;
      expect(after).toBe(registrations + 1);
    });
  });
});
