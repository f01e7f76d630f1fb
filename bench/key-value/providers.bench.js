// Key/value providers: ops/s and p50/p99 of get and set, sequentially and with 64 in flight, for raw
// ioredis (the baseline), the Redis provider, the memory provider and the ToskaStore provider against
// apps/toska-store (sync interval and always). Raw ioredis and the Redis provider are measured interleaved
// (medians of BENCH_KV_ROUNDS alternating rounds). Run: npm run bench:key-value. Writes
// bench/results/key-value-providers.json. Bounded: a fixed number of operations per cell.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MemoryKeyValueStore, RedisKeyValueStore, ToskaStoreKeyValueStore } from '@toskamesh/key-value';
import { Redis } from 'ioredis';
import { percentile, round, table } from '../lib/stats.js';
import { startToskaStore } from '../lib/toska-store-process.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OPS = Number(process.env.BENCH_KV_OPS ?? 20_000);
const KEYS = 10_000;
const VALUE = 'v'.repeat(128);
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROUNDS = Number(process.env.BENCH_KV_ROUNDS ?? 5);

/** Runs `op(i)` OPS times with `inFlight` concurrent workers; returns ops/s and latency percentiles (ms). */
async function measure(op, inFlight) {
  const latencies = new Float64Array(OPS);
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < OPS; i = next++) {
      const t0 = performance.now();
      await op(i % KEYS);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const seconds = (performance.now() - started) / 1000;
  const sample = Array.from(latencies);
  return {
    opsPerSec: round(OPS / seconds, 0),
    p50: round(percentile(sample, 50), 3),
    p99: round(percentile(sample, 99), 3),
  };
}

/**
 * Measures two targets cell by cell, alternating A, B, A, B, ... for `ROUNDS` rounds and keeping each one's
 * median: loopback latency on a shared VM drifts by 2x within seconds, and interleaving keeps the
 * comparison fair where a single pass per target would not.
 */
async function benchPair(pair) {
  for (const [, ops] of pair) for (let i = 0; i < KEYS; i++) await ops.set(i);
  const rows = [];
  for (const inFlight of [1, 64]) {
    for (const op of ['set', 'get']) {
      const samples = pair.map(() => []);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [index, [, ops]] of pair.entries()) samples[index].push(await measure(ops[op], inFlight));
      }
      for (const [index, [name]] of pair.entries()) rows.push([name, op, inFlight, median(samples[index])]);
    }
  }
  return rows;
}

function median(measurements) {
  const sorted = [...measurements].sort((a, b) => a.opsPerSec - b.opsPerSec);
  return sorted[Math.floor(sorted.length / 2)];
}

async function benchTarget(name, { get, set }) {
  for (let i = 0; i < KEYS; i++) await set(i);
  const rows = [];
  for (const inFlight of [1, 64]) {
    rows.push([name, 'set', inFlight, await measure(set, inFlight)]);
    rows.push([name, 'get', inFlight, await measure(get, inFlight)]);
  }
  return rows;
}

async function main() {
  const prefix = `bench-kv-${randomBytes(4).toString('hex')}`;
  const rows = [];

  const raw = new Redis(REDIS_URL);
  const redis = new RedisKeyValueStore({ url: REDIS_URL, keyPrefix: `${prefix}:provider` });
  const pipelined = new RedisKeyValueStore({
    url: REDIS_URL,
    keyPrefix: `${prefix}:pipelined`,
    autoPipelining: true,
  });
  rows.push(
    ...(await benchPair([
      [
        'baseline: raw ioredis',
        { set: (i) => raw.set(`${prefix}:raw:${i}`, VALUE), get: (i) => raw.get(`${prefix}:raw:${i}`) },
      ],
      ['redis provider', { set: (i) => redis.set(`k${i}`, VALUE), get: (i) => redis.get(`k${i}`) }],
      [
        'redis provider (autoPipelining)',
        { set: (i) => pipelined.set(`k${i}`, VALUE), get: (i) => pipelined.get(`k${i}`) },
      ],
    ])),
  );
  raw.disconnect();
  await redis.close();
  await pipelined.close();

  const memory = new MemoryKeyValueStore({ keyPrefix: prefix });
  rows.push(
    ...(await benchTarget('memory provider', {
      set: (i) => memory.set(`k${i}`, VALUE),
      get: (i) => memory.get(`k${i}`),
    })),
  );
  await memory.close();

  for (const syncMode of ['interval', 'always']) {
    const server = await startToskaStore({ syncMode });
    const store = new ToskaStoreKeyValueStore({ baseUrl: server.url, keyPrefix: prefix });
    try {
      rows.push(
        ...(await benchTarget(`toskastore provider (${syncMode})`, {
          set: (i) => store.set(`k${i}`, VALUE),
          get: (i) => store.get(`k${i}`),
        })),
      );
    } finally {
      await store.close();
      await server.stop();
    }
  }

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    ops: OPS,
    keys: KEYS,
    valueBytes: VALUE.length,
    rows: rows.map(([target, op, inFlight, m]) => ({ target, op, inFlight, ...m })),
  };
  const find = (target, op, inFlight) =>
    results.rows.find((r) => r.target === target && r.op === op && r.inFlight === inFlight);
  const targets = ['redis provider', 'redis provider (autoPipelining)'];
  results.ratios = Object.fromEntries(
    ['get', 'set'].flatMap((op) =>
      [1, 64].flatMap((inFlight) =>
        targets.map((target) => [
          `${target} / raw ioredis, ${op}, ${inFlight} in flight (target >= 0.9)`,
          round(
            find(target, op, inFlight).opsPerSec / find('baseline: raw ioredis', op, inFlight).opsPerSec,
            2,
          ),
        ]),
      ),
    ),
  );
  console.log(`\nKey/value providers (${OPS} ops per cell, ${KEYS} keys, ${VALUE.length}-byte values)\n`);
  console.log(
    table(
      ['target', 'op', 'in flight', 'ops/s', 'p50 ms', 'p99 ms'],
      results.rows.map((r) => [
        r.target,
        r.op,
        r.inFlight,
        r.opsPerSec.toLocaleString('en-US'),
        r.p50,
        r.p99,
      ]),
    ),
  );
  console.log('\nRatios\n');
  console.log(table(['measure', 'value'], Object.entries(results.ratios)));
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/key-value-providers.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results/key-value-providers.json');
}

await main();
