// The gateway next to its baselines in one run: direct to the upstream, a bare node:http piping proxy
// (the ceiling of a Node proxy), apps/gateway (registry-routed with load balancing, metrics and access
// logging on; and a static-route variant), @fastify/http-proxy, and nginx when installed. Every target is
// its own process on 127.0.0.1; wrk loads each for BENCH_GATEWAY_SECONDS (default 10) per cell, in
// BENCH_GATEWAY_ROUNDS (default 3) interleaved rounds; server CPU time comes from /proc. A watchdog
// bounds the whole run. Run: npm run bench:gateway. Writes bench/results/gateway.json.
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildGroup } from '../lib/child-group.js';
import { clockTicksPerSecond } from '../lib/proc-stats.js';
import { round } from '../lib/stats.js';
import { newSecret, startDiscovery, startGateway } from './gateway-process.js';
import { printProfile } from './cpu-profile-top.js';
import { measureCell } from './measure-cell.js';
import { gatewayTargets, printReport, ratios, summarise } from './report.js';
import { directTarget, startBareProxy, startFastifyProxy, startNginx, startUpstream } from './targets.js';
import { runWrk } from './wrk.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const env = process.env;
const SETTINGS = {
  seconds: Number(env.BENCH_GATEWAY_SECONDS ?? 10),
  // Three, so the median is a real median: one stalled cell on this shared VM cannot move it.
  rounds: Number(env.BENCH_GATEWAY_ROUNDS ?? 3),
  warmupSeconds: Number(env.BENCH_GATEWAY_WARMUP_SECONDS ?? 3),
  threads: Number(env.BENCH_GATEWAY_THREADS ?? 2),
  connections: Number(env.BENCH_GATEWAY_CONNECTIONS ?? 64),
  instances: Number(env.BENCH_GATEWAY_INSTANCES ?? 2),
  targets: (env.BENCH_GATEWAY_TARGETS ?? 'direct,bare,gateway,gateway-static,fastify,nginx').split(','),
  // More registry-routed gateway cells, one per forwarding engine named (`node-http`), for engine choices.
  extraEngines: (env.BENCH_GATEWAY_EXTRA_ENGINES ?? '').split(',').filter(Boolean),
  nginxAccessLog: (env.BENCH_GATEWAY_NGINX_ACCESS_LOG ?? 'on') === 'on',
  gatewayLog: env.BENCH_GATEWAY_LOG === 'null' ? 'null' : 'file',
  out: env.BENCH_GATEWAY_OUT ?? join(ROOT, 'bench/results/gateway.json'),
  // Runs the gateways and the bare proxy under `node --cpu-prof` into this folder (inflating their CPU).
  cpuProfDir: env.BENCH_GATEWAY_CPU_PROF ? resolve(env.BENCH_GATEWAY_CPU_PROF) : undefined,
};
const TARGET_COUNT = 6 + SETTINGS.extraEngines.length;

const group = new ChildGroup();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Bounds the whole run whatever hangs: start-up, every warm-up and every cell, with slack.
const budgetSeconds =
  240 + TARGET_COUNT * (SETTINGS.warmupSeconds + 20 + SETTINGS.rounds * (SETTINGS.seconds + 20));
const watchdog = setTimeout(() => {
  console.error(`\nwatchdog: the run exceeded ${budgetSeconds} s; stopping every child process`);
  group.killAll();
  process.exit(2);
}, budgetSeconds * 1000);

async function startTargets(upstream, dir, skipped) {
  const wanted = new Set(SETTINGS.targets);
  const targets = [];
  let discovery;
  const secret = newSecret();
  const attempt = async (key, start) => {
    if (!wanted.has(key)) return;
    try {
      targets.push(await start());
    } catch (error) {
      skipped[key] = error.message;
      console.error(`skipping ${key}: ${error.message}`);
    }
  };
  await attempt('direct', async () => directTarget(upstream));
  await attempt('bare', () => startBareProxy(group, upstream, { cpuProfDir: SETTINGS.cpuProfDir }));
  const registryGateway = async (engine) => {
    discovery ??= await startDiscovery(group, upstream, secret);
    return startGateway(group, {
      mode: 'registry',
      engine,
      upstream,
      discoveryUrl: discovery.url,
      secret,
      dir,
      logTo: SETTINGS.gatewayLog,
      cpuProfDir: SETTINGS.cpuProfDir,
    });
  };
  await attempt('gateway', () => registryGateway(undefined));
  for (const engine of SETTINGS.extraEngines) {
    wanted.add(`gateway-engine-${engine}`);
    await attempt(`gateway-engine-${engine}`, () => registryGateway(engine));
  }
  // No registry-routed gateway came up: discovery has nothing to serve.
  if (discovery && !targets.some((target) => target.mode === 'registry')) await discovery.stop();
  await attempt('gateway-static', () =>
    startGateway(group, {
      mode: 'static',
      upstream,
      secret,
      dir,
      logTo: SETTINGS.gatewayLog,
      cpuProfDir: SETTINGS.cpuProfDir,
    }),
  );
  await attempt('fastify', () => startFastifyProxy(group, upstream));
  await attempt('nginx', () => startNginx(group, upstream, { dir, accessLog: SETTINGS.nginxAccessLog }));
  return { targets, discovery };
}

/**
 * One cell, with what the upstream saw meanwhile: requests per instance port (the load balancer's split)
 * and connections accepted (a proxy that reuses keep-alive connections opens few).
 */
async function cell(target, upstream) {
  const before = await upstream.counts();
  const result = await measureCell(group, target, { upstreamPid: upstream.pid, ...SETTINGS });
  const after = await upstream.counts();
  const diff = (field) =>
    Object.fromEntries(
      Object.keys(after[field]).map((port) => [port, after[field][port] - before[field][port]]),
    );
  if (target.measuredPorts) result.upstreamSplit = diff('requests');
  // Minus the one connection of the second /__counts call.
  result.upstreamConnectionsOpened = Math.max(
    0,
    Object.values(diff('connections')).reduce((sum, n) => sum + n, 0) - 1,
  );
  return result;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  // Also on SIGINT, where ChildGroup exits without running the `finally` below.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const skipped = {};
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpus: cpus().length, loadavgAtStart: loadavg().map((v) => round(v, 2)) },
    settings: { ...SETTINGS, out: undefined, clockTicksPerSecond: clockTicksPerSecond() },
    cells: {},
    skipped,
    ratios: {},
    targets: {},
    evidence: {},
  };
  try {
    const upstream = await startUpstream(group, SETTINGS.instances);
    const { targets, discovery } = await startTargets(upstream, dir, skipped);
    for (const target of targets) {
      results.cells[target.key] = { label: target.label, url: target.url, notes: target.notes, rounds: [] };
      console.error(`warm-up ${target.key} (${SETTINGS.warmupSeconds} s)`);
      await runWrk(group, { ...SETTINGS, url: target.url, seconds: SETTINGS.warmupSeconds });
    }
    for (let r = 0; r < SETTINGS.rounds; r++) {
      // Rotating the order spreads drift in the machine's load over every target.
      const order = targets.map((_, i) => targets[(i + r) % targets.length]);
      for (const target of order) {
        const entry = results.cells[target.key];
        if (target.child && target.child.exitCode !== null) {
          entry.notes.push(`round ${r + 1}: process had exited (${target.child.exitCode})`);
          continue;
        }
        console.error(`round ${r + 1}/${SETTINGS.rounds}: ${target.key} (${SETTINGS.seconds} s)`);
        try {
          entry.rounds.push({ round: r + 1, ...(await cell(target, upstream)) });
        } catch (error) {
          entry.notes.push(`round ${r + 1} failed: ${error.message}`);
        }
        await sleep(1000);
      }
    }
    for (const target of targets) {
      if (target.evidence) results.evidence[target.key] = await target.evidence();
    }
    if (discovery?.heartbeatFailure()) {
      results.evidence.discoveryHeartbeatFailure = discovery.heartbeatFailure().message;
    }
    analyse(results);
    printReport(results);
    if (SETTINGS.cpuProfDir) await writeProfiles(targets, results);
    mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
    writeFileSync(SETTINGS.out, `${JSON.stringify(results, roundNumbers, 2)}\n`);
    console.log(`\nWrote ${SETTINGS.out.replace(ROOT, '')}`);
  } finally {
    await group.stopAll();
    rmSync(dir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

/** Stops the profiled processes gently (a profile is written at exit) and summarises each profile. */
async function writeProfiles(targets, results) {
  mkdirSync(SETTINGS.cpuProfDir, { recursive: true });
  results.profiles = {};
  for (const target of targets.filter((t) => t.profile)) {
    await group.stop(target.child, 20_000);
    try {
      results.profiles[target.key] = { file: target.profile, ...printProfile(target.profile) };
    } catch (error) {
      results.profiles[target.key] = { file: target.profile, error: error.message };
    }
  }
}

function analyse(results) {
  const { cells } = results;
  for (const cell of Object.values(cells)) cell.median = summarise(cell.rounds);
  for (const [key, cell] of Object.entries(cells)) {
    if (key === 'direct') continue;
    results.ratios[key] = {
      vsBare: cells.bare && key !== 'bare' ? ratios(cell.rounds, cells.bare.rounds) : undefined,
      vsDirect: cells.direct ? ratios(cell.rounds, cells.direct.rounds) : undefined,
    };
  }
  for (const key of Object.keys(cells).filter((name) => name.startsWith('gateway'))) {
    if (results.ratios[key]?.vsBare) {
      results.targets[key] = gatewayTargets(cells[key].median, results.ratios[key].vsBare);
    }
    const splits = cells[key].rounds.map((r) => r.upstreamSplit).filter(Boolean);
    if (splits.length) results.evidence[key] = { ...results.evidence[key], upstreamSplitPerRound: splits };
  }
}

/** JSON numbers with at most 3 decimals. */
function roundNumbers(_key, value) {
  return typeof value === 'number' && !Number.isInteger(value) ? round(value, 3) : value;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
