// Registry benchmark: lookups/s and watch propagation latency (register -> watcher notified) per
// provider, each beside a baseline measured in the same run. Run: npm run bench:registry
// Writes bench/results/registry.json. Bounded: fixed sample counts, per-step deadlines.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { DiscoveryServiceRegistry, MemoryServiceRegistry, RedisServiceRegistry } from '@toskamesh/registry';
import { MeshClient, MeshRuntimeModule } from '@toskamesh/runtime';
import { MeshTokenService } from '@toskamesh/security';
import { Redis } from 'ioredis';
import { freePort } from '../lib/free-port.js';
import { opsPerSecond, percentile, round, table } from '../lib/stats.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const WATCH_SAMPLES = Number(process.env.BENCH_WATCH_SAMPLES ?? 300);
const LOOKUP_MS = Number(process.env.BENCH_LOOKUP_MS ?? 1000);
const STEP_TIMEOUT_MS = 5000;
const SERVICE = 'bench-svc';

function registration(i, port = 10_000 + i) {
  return {
    serviceName: SERVICE,
    serviceId: `${SERVICE}-${i}`,
    address: '127.0.0.1',
    port,
    metadata: { lb_strategy: 'RoundRobin' },
  };
}

/** Latency from register() to the watcher seeing that instance, for `samples` instances. */
async function watchLatency(registry, samples) {
  const controller = new AbortController();
  const waiting = new Map();
  const iterator = registry.watch(SERVICE, { signal: controller.signal })[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.value?.type !== 'snapshot')
    throw new Error(`watch did not start with a snapshot: ${JSON.stringify(first.value)}`);
  const pump = (async () => {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const change = next.value;
      if (change.type === 'snapshot') {
        for (const instance of change.instances) waiting.get(`register:${instance.serviceId}`)?.();
      } else waiting.get(`${change.type}:${change.instance.serviceId}`)?.();
    }
  })();
  const seen = (key) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${key} event within ${STEP_TIMEOUT_MS} ms`)),
        STEP_TIMEOUT_MS,
      );
      waiting.set(key, () => {
        clearTimeout(timer);
        waiting.delete(key);
        resolve();
      });
    });
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const reg = registration(i);
    const registered = seen(`register:${reg.serviceId}`);
    const started = performance.now();
    await registry.register(reg);
    await registered;
    latencies.push(performance.now() - started);
    const gone = seen(`deregister:${reg.serviceId}`);
    await registry.deregister(reg.serviceId);
    await gone;
  }
  controller.abort();
  await iterator.return?.();
  await pump.catch(() => undefined);
  return latencies;
}

/** Raw Redis PUBLISH -> SUBSCRIBE round trip: the floor under any Redis-backed watch. */
async function redisPubSubLatency(samples) {
  const publisher = new Redis(REDIS_URL, { lazyConnect: true });
  const subscriber = new Redis(REDIS_URL, { lazyConnect: true });
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const channel = `bench:${randomBytes(4).toString('hex')}`;
  await subscriber.subscribe(channel);
  let resolveNext;
  subscriber.on('message', () => resolveNext?.());
  const latencies = [];
  for (let i = 0; i < samples; i++) {
    const received = new Promise((resolve) => (resolveNext = resolve));
    const started = performance.now();
    await publisher.publish(channel, String(i));
    await received;
    latencies.push(performance.now() - started);
  }
  publisher.disconnect();
  subscriber.disconnect();
  return latencies;
}

async function lookups(registry) {
  for (let i = 0; i < 5; i++) await registry.register(registration(i));
  const perSecond = await opsPerSecond(() => registry.instances(SERVICE, { healthyOnly: true }), {
    durationMs: LOOKUP_MS,
    batch: 50,
  });
  for (let i = 0; i < 5; i++) await registry.deregister(`${SERVICE}-${i}`);
  return perSecond;
}

/** MeshClient's cached path (watched directory) against a bare Map lookup, same process, same run. */
async function cachedLookups() {
  const registry = new MemoryServiceRegistry();
  for (let i = 0; i < 5; i++) await registry.register(registration(i));
  const app = await NestFactory.createApplicationContext(
    MeshRuntimeModule.forRoot({
      service: { name: 'bench-client' },
      registry: { provider: registry },
      registration: { enabled: false },
      auth: { enabled: false },
      logging: { level: 'silent' },
      env: {},
    }),
    { logger: false },
  );
  const client = app.get(MeshClient);
  await client.instances(SERVICE);
  const map = new Map([[SERVICE, await registry.instances(SERVICE, { healthyOnly: true })]]);
  let sink = 0;
  const bare = await opsPerSecond(() => (sink += map.get(SERVICE).length), {
    durationMs: LOOKUP_MS,
    batch: 100_000,
  });
  const cached = await opsPerSecond(() => (sink += client.cachedInstances(SERVICE).length), {
    durationMs: LOOKUP_MS,
    batch: 100_000,
  });
  await app.close();
  await registry.close();
  return { bare, cached, sink };
}

async function startDiscovery(secret) {
  const [port, grpcPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [`${ROOT}apps/discovery/dist/main.js`], {
    env: {
      ...process.env,
      MESH_SERVICE_AUTH_SECRET: secret,
      Discovery__Port: String(port),
      Discovery__GrpcPort: String(grpcPort),
      Discovery__AllowAnonymousReads: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/ServiceDiscovery/services`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('discovery did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { url, grpcUrl: `127.0.0.1:${grpcPort}`, stop: () => child.kill('SIGTERM') };
}

const summary = (latencies) => ({
  p50: round(percentile(latencies, 50), 3),
  p99: round(percentile(latencies, 99), 3),
});

async function main() {
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    samples: WATCH_SAMPLES,
    watch: {},
    lookups: {},
  };
  const secret = randomBytes(48).toString('base64url');
  const token = await new MeshTokenService({ secret }).issue({ subject: 'bench', roles: ['Admin'] });

  results.watch['baseline: raw Redis PUBLISH->SUBSCRIBE'] = summary(await redisPubSubLatency(WATCH_SAMPLES));
  const memory = new MemoryServiceRegistry();
  results.watch.memory = summary(await watchLatency(memory, WATCH_SAMPLES));
  results.lookups.memory = round(await lookups(memory), 0);
  await memory.close();

  const redis = new RedisServiceRegistry({
    url: REDIS_URL,
    keyPrefix: `bench:${randomBytes(4).toString('hex')}`,
  });
  results.watch.redis = summary(await watchLatency(redis, WATCH_SAMPLES));
  results.lookups.redis = round(await lookups(redis), 0);
  await redis.close();

  const discovery = await startDiscovery(secret);
  try {
    for (const transport of ['http', 'grpc']) {
      const url = transport === 'http' ? discovery.url : discovery.grpcUrl;
      const client = new DiscoveryServiceRegistry({ url, transport, authToken: () => token });
      results.watch[`discovery (${transport === 'http' ? 'SSE' : 'gRPC'})`] = summary(
        await watchLatency(client, WATCH_SAMPLES),
      );
      results.lookups[`discovery (${transport})`] = round(await lookups(client), 0);
      await client.close();
    }
  } finally {
    discovery.stop();
  }

  const cached = await cachedLookups();
  results.lookups['baseline: bare Map lookup'] = round(cached.bare, 0);
  results.lookups['MeshClient cached lookup'] = round(cached.cached, 0);
  results.ratios = {
    'MeshClient cached / bare Map (slowdown, target <= 2)': round(cached.bare / cached.cached, 2),
    'discovery SSE watch p99 ms (target < 50)': results.watch['discovery (SSE)'].p99,
    'discovery gRPC watch p99 ms (target < 50)': results.watch['discovery (gRPC)'].p99,
    'redis watch p50 / raw pub-sub p50': round(
      results.watch.redis.p50 / results.watch['baseline: raw Redis PUBLISH->SUBSCRIBE'].p50,
      2,
    ),
  };

  console.log(`\nWatch propagation: register -> watcher notified (${WATCH_SAMPLES} samples, ms)\n`);
  console.log(
    table(
      ['provider', 'p50', 'p99'],
      Object.entries(results.watch).map(([name, s]) => [name, s.p50, s.p99]),
    ),
  );
  console.log('\nLookups per second (instances(name, healthyOnly))\n');
  console.log(
    table(
      ['path', 'ops/s'],
      Object.entries(results.lookups).map(([name, ops]) => [name, ops.toLocaleString('en-US')]),
    ),
  );
  console.log('\nRatios\n');
  console.log(table(['measure', 'value'], Object.entries(results.ratios)));
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/registry.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results/registry.json');
}

await main();
