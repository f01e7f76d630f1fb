import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryServiceRegistry } from '@toskamesh/registry';
import {
  MeshClient,
  MeshServiceHost,
  NoHealthyInstanceError,
  UpstreamStatusError,
  type MeshServiceHandle,
  type MeshServiceHostOptions,
} from '@toskamesh/runtime';
import { eventually } from '@toskamesh/testing';
import { ProbeModule, testSecret } from './fixtures/probe.app.js';

const SECRET = testSecret();
const TARGET = 'client-target';

interface Answer {
  serviceId: string;
}

describe(MeshClient.name, () => {
  const registry = new MemoryServiceRegistry();
  const targets: MeshServiceHandle[] = [];
  let caller: MeshServiceHandle;
  let client: MeshClient;

  function options(name: string): MeshServiceHostOptions {
    return {
      service: { name, port: 0, address: '127.0.0.1', routing: { strategy: 'RoundRobin' } },
      registry: { provider: registry },
      auth: { secret: SECRET },
      logging: { level: 'silent' },
      nestOptions: { logger: ['error'] },
      client: { timeoutMs: 5000 },
      env: {},
    };
  }

  async function healthyTargets(count: number): Promise<void> {
    await eventually(async () =>
      expect(await registry.instances(TARGET, { healthyOnly: true })).toHaveLength(count),
    );
  }

  /** The serviceIds that answered `calls` sequential GETs of /items/1. */
  async function answeredBy(calls: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < calls; i++) ids.push((await client.for(TARGET).get<Answer>('/items/1')).serviceId);
    return ids;
  }

  beforeAll(async () => {
    for (let i = 0; i < 3; i++) targets.push(await MeshServiceHost.start(ProbeModule, options(TARGET)));
    caller = await MeshServiceHost.start(ProbeModule, options('client-caller'));
    client = caller.app.get(MeshClient);
    await healthyTargets(3);
  });

  afterAll(async () => {
    await Promise.all([caller, ...targets].map((handle) => handle?.close()));
    await registry.close();
  });

  describe('for().get', () => {
    it('spreads calls round-robin across the instances and caches them', async () => {
      expect(client.cachedInstances(TARGET)).toBeUndefined();
      const ids = await answeredBy(6);
      expect(
        client
          .cachedInstances(TARGET)
          ?.map((instance) => instance.serviceId)
          .sort(),
      ).toEqual(targets.map((target) => target.serviceId).sort());
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      expect([...counts.keys()].sort()).toEqual(targets.map((target) => target.serviceId).sort());
      expect([...counts.values()]).toEqual([2, 2, 2]);
    });

    it('sends the service token and propagates the correlation id and trace context', async () => {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const response = await fetch(`${caller.url}/relay/${TARGET}`, {
        headers: {
          'x-correlation-id': 'corr-client-e2e',
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        signal: AbortSignal.timeout(5000),
      });
      expect(response.status).toBe(200);
      const seen = (await response.json()) as Record<string, unknown>;
      expect(seen).toMatchObject({
        subject: caller.serviceId,
        serviceName: 'client-caller',
        correlationId: 'corr-client-e2e',
      });
      expect(seen.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    });

    it('throws UpstreamStatusError with the status and parsed body for a non-2xx answer', async () => {
      const error = await client
        .for(TARGET)
        .get('/status/409')
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(UpstreamStatusError);
      expect(error).toMatchObject({
        status: 409,
        serviceName: TARGET,
        body: { status: 409, detail: 'answered 409' },
      });
    });

    it('throws NoHealthyInstanceError for a service without instances', async () => {
      await expect(client.for('client-nobody').get('/x')).rejects.toBeInstanceOf(NoHealthyInstanceError);
    });
  });

  describe('failover', () => {
    it('retries on another instance when one is gone but still registered', async () => {
      const [dead] = targets;
      const server = dead!.app.getHttpServer() as Server;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      expect(await registry.instance(dead!.serviceId)).toBeDefined();

      const ids = await answeredBy(6);
      expect(ids).not.toContain(dead!.serviceId);
      expect(new Set(ids).size).toBe(2);
      // The dead instance was picked and refused the connection: the calls above were retried.
      const metrics = await (
        await fetch(`${caller.url}/metrics`, { signal: AbortSignal.timeout(5000) })
      ).text();
      const retried = metrics
        .split('\n')
        .find(
          (line) =>
            line.startsWith('toskamesh_resilience_retries_total{') &&
            line.includes(`service:${TARGET}`) &&
            line.includes('outcome="retry"'),
        );
      expect(Number(retried?.split(' ').at(-1))).toBeGreaterThanOrEqual(2);
    });

    it('retries a POST on another instance when the connection was refused', async () => {
      for (let i = 0; i < 4; i++) {
        await expect(client.for(TARGET).post('/orders', { qty: 1 })).resolves.toEqual({ accepted: true });
      }
    });

    it('stops picking an instance once its deregistration reached the watch', async () => {
      const leaving = targets.pop()!;
      await leaving.close();
      await eventually(() =>
        expect(client.cachedInstances(TARGET)?.map((instance) => instance.serviceId)).not.toContain(
          leaving.serviceId,
        ),
      );
      const ids = await answeredBy(4);
      expect(ids).not.toContain(leaving.serviceId);
    });
  });
});
