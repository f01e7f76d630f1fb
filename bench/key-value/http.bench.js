// apps/toska-store under HTTP load (autocannon, 50 connections, 128-byte values, 10k keys) next to a bare
// node:http server answering a constant JSON body in the same run. Each server runs as its own process;
// every run is bounded by BENCH_HTTP_SECONDS (default 10). Run: npm run bench:key-value.
// Writes bench/results/key-value-http.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { round, table } from '../lib/stats.js';
import { freePort } from '../lib/free-port.js';
import { startToskaStore } from '../lib/toska-store-process.js';
import { existsSync } from 'node:fs';
import { ChildGroup } from '../lib/child-group.js';
import { cpuTicks, clockTicksPerSecond } from '../lib/proc-stats.js';
import { WRK, runWrk } from '../gateway/wrk.js';

const WRK_SCRIPT = fileURLToPath(new URL('./wrk-kv.lua', import.meta.url));
/** wrk on one thread: the load generator costs far less CPU than autocannon, leaving a core to the server. */
const WRK_THREADS = Number(process.env.BENCH_HTTP_WRK_THREADS ?? 1);

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = 50;
const KEYS = 10_000;
const VALUE = 'v'.repeat(128);
const PUT_BODY = JSON.stringify({ value: VALUE });

function run(url, request) {
  return new Promise((resolve, reject) => {
    let i = 0;
    autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            ...request,
            setupRequest: (req) => ({ ...req, path: request.path.replace('{key}', `k${i++ % KEYS}`) }),
          },
        ],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

function summary(result) {
  const failed = result.errors + result.timeouts + result.non2xx;
  return {
    requestsPerSec: round(result.requests.average, 0),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed,
  };
}

async function startBare() {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./bare-server.mjs', import.meta.url)), String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

async function preload(url) {
  for (let i = 0; i < KEYS; i += 100) {
    await Promise.all(
      Array.from({ length: 100 }, (_, j) =>
        fetch(`${url}/kv/k${i + j}`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: PUT_BODY,
        }),
      ),
    );
  }
}

/** One wrk cell against `pid`'s server: req/s, p50/p99 and the server's CPU µs per request (from /proc). */
async function wrkCell(group, url, pid, method) {
  const before = cpuTicks([pid]);
  const result = await runWrk(group, {
    url,
    seconds: SECONDS,
    threads: WRK_THREADS,
    connections: CONNECTIONS,
    script: WRK_SCRIPT,
    scriptArgs: [method, String(KEYS)],
  });
  const cpuMicros = ((cpuTicks([pid]) - before) / clockTicksPerSecond()) * 1e6;
  return {
    requestsPerSec: round(result.requestsPerSec, 0),
    p50: round(result.p50Ms, 2),
    p99: round(result.p99Ms, 2),
    failed: result.failed,
    serverCpuMicrosPerRequest: round(cpuMicros / Math.max(1, result.requests), 1),
  };
}

async function main() {
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    seconds: SECONDS,
    connections: CONNECTIONS,
    keys: KEYS,
    runs: {},
  };
  const useWrk = existsSync(WRK);
  const group = useWrk ? new ChildGroup() : undefined;
  results.wrk = useWrk ? { threads: WRK_THREADS, runs: {} } : { skipped: `${WRK} not found` };
  const bare = await startBare();
  try {
    results.runs['baseline: bare node:http GET'] = summary(
      await run(bare.url, { method: 'GET', path: '/{key}' }),
    );
    if (group)
      results.wrk.runs['baseline: bare node:http GET'] = await wrkCell(group, bare.url, bare.pid, 'GET');
  } finally {
    await bare.stop();
  }
  for (const syncMode of ['interval', 'always']) {
    const server = await startToskaStore({ syncMode });
    try {
      await preload(server.url);
      if (syncMode === 'interval') {
        results.runs['toska-store GET'] = summary(
          await run(server.url, { method: 'GET', path: '/kv/{key}' }),
        );
        if (group) results.wrk.runs['toska-store GET'] = await wrkCell(group, server.url, server.pid, 'GET');
      }
      results.runs[`toska-store PUT (sync ${syncMode})`] = summary(
        await run(server.url, {
          method: 'PUT',
          path: '/kv/{key}',
          headers: { 'content-type': 'application/json' },
          body: PUT_BODY,
        }),
      );
      if (group)
        results.wrk.runs[`toska-store PUT (sync ${syncMode})`] = await wrkCell(
          group,
          server.url,
          server.pid,
          'PUT',
        );
    } finally {
      await server.stop();
    }
  }
  const bareRate = results.runs['baseline: bare node:http GET'].requestsPerSec;
  results.ratios = Object.fromEntries(
    Object.entries(results.runs).map(([name, run]) => [
      `${name} / bare node:http`,
      round(run.requestsPerSec / bareRate, 2),
    ]),
  );
  console.log(
    `\ntoska-store over HTTP (${CONNECTIONS} connections, ${SECONDS} s per run, ${KEYS} keys, ${VALUE.length}-byte values)\n`,
  );
  console.log(
    table(
      ['run', 'req/s', 'p50 ms', 'p99 ms', 'failed'],
      Object.entries(results.runs).map(([name, r]) => [
        name,
        r.requestsPerSec.toLocaleString('en-US'),
        r.p50,
        r.p99,
        r.failed,
      ]),
    ),
  );
  console.log('\nRatios\n');
  console.log(table(['measure', 'value'], Object.entries(results.ratios)));
  if (group) {
    await group.stopAll();
    const bareWrk = results.wrk.runs['baseline: bare node:http GET'];
    console.log(
      `\nThe same with wrk (-t${WRK_THREADS} -c${CONNECTIONS}; lighter than autocannon, so nearer the server's own limit)\n`,
    );
    console.log(
      table(
        ['run', 'req/s', 'p50 ms', 'p99 ms', 'failed', 'server CPU µs/req', 'req/s vs bare'],
        Object.entries(results.wrk.runs).map(([name, r]) => [
          name,
          r.requestsPerSec.toLocaleString('en-US'),
          r.p50,
          r.p99,
          r.failed,
          r.serverCpuMicrosPerRequest,
          round(r.requestsPerSec / bareWrk.requestsPerSec, 2),
        ]),
      ),
    );
  }
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/key-value-http.json`, `${JSON.stringify(results, null, 2)}\n`);
  console.log('\nWrote bench/results/key-value-http.json');
}

await main();
