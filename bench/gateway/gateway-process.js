// Starts apps/gateway for the benchmark, in one of two modes:
// - `registry`: apps/discovery runs as its own process, the upstream's ports are registered in it over
//   its REST API as instances of service `bench`, and the gateway follows the registry (watch) and
//   load-balances `/api/bench/...` over them with its default strategy;
// - `static`: a static-routes YAML file sends `/static/bench/...` to the same ports, no registry.
// Access logging is on; the gateway's stdout/stderr go to a file (or /dev/null) so no pipe to this
// process slows it. Env names are the gateway's `Mesh__Gateway__*`; BENCH_GATEWAY_ENV (JSON) adds to them.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  statSync,
  writeFileSync,
  createReadStream,
  readFileSync,
} from 'node:fs';
import { setInterval, clearInterval } from 'node:timers';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/free-port.js';
import { waitForHttp } from '../lib/wait-for-http.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The gateway's entry point; BENCH_GATEWAY_MAIN points elsewhere (another build) when set. */
export const GATEWAY_MAIN = process.env.BENCH_GATEWAY_MAIN ?? join(ROOT, 'apps/gateway/dist/main.js');
const DISCOVERY_MAIN = join(ROOT, 'apps/discovery/dist/main.js');
/** The Node/V8 flags every launcher of the gateway passes. */
export const SHIPPED_NODE_FLAGS = JSON.parse(
  readFileSync(join(ROOT, 'apps/gateway/node-flags.json'), 'utf8'),
).flags.map((entry) => entry.flag);
const SERVICE = 'bench';

/** Discovery as its own process (memory store, anonymous reads), with the upstream's ports registered. */
export async function startDiscovery(group, upstream, secret) {
  if (!existsSync(DISCOVERY_MAIN)) throw new Error('apps/discovery/dist/main.js is missing (npm run build)');
  const [port, grpcPort] = [await freePort(), await freePort()];
  const child = group.spawn(process.execPath, [DISCOVERY_MAIN], {
    env: {
      ...process.env,
      MESH_SERVICE_AUTH_SECRET: secret,
      Discovery__Host: '127.0.0.1',
      Discovery__Port: String(port),
      Discovery__GrpcPort: String(grpcPort),
      Discovery__AllowAnonymousReads: 'true',
      Discovery__Store: 'Memory',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/ServiceDiscovery/services`, { child, timeoutMs: 60_000 });
  const { MeshTokenService } = await import('@toskamesh/security');
  const token = await new MeshTokenService({ secret }).issue({ subject: 'bench', roles: ['Admin'] });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const ids = [];
  for (const [index, instancePort] of upstream.ports.entries()) {
    const serviceId = `${SERVICE}-${index + 1}`;
    const response = await fetch(`${url}/api/ServiceRegistration/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ serviceName: SERVICE, serviceId, address: '127.0.0.1', port: instancePort }),
    });
    if (!response.ok)
      throw new Error(`registering ${serviceId}: HTTP ${response.status} ${await response.text()}`);
    ids.push(serviceId);
  }
  // Instances without a health check live on heartbeats (TTL 3 x 10 s); the run is longer than that.
  let heartbeatFailure;
  const heartbeat = setInterval(() => {
    for (const id of ids) {
      fetch(`${url}/api/ServiceRegistration/heartbeat/${id}`, { method: 'POST', headers })
        .then((response) => response.body?.cancel())
        .catch((error) => (heartbeatFailure ??= error));
    }
  }, 5000);
  heartbeat.unref();
  return {
    url,
    pid: child.pid,
    child,
    ids,
    heartbeatFailure: () => heartbeatFailure,
    async stop() {
      clearInterval(heartbeat);
      await group.stop(child);
    },
  };
}

/**
 * Starts the gateway and waits until a request through it reaches the upstream. `engine` sets
 * `Mesh__Gateway__Engine` (the gateway's default when undefined); with `cpuProfDir` the gateway runs
 * under `--cpu-prof` and writes `<name>.cpuprofile` there when it exits.
 * @param {{ mode: 'registry' | 'static', engine?: string, upstream: object, discoveryUrl?: string,
 *   secret: string, dir: string, logTo: 'file' | 'null', cpuProfDir?: string }} options
 */
export async function startGateway(group, options) {
  const { mode, engine, upstream, discoveryUrl, secret, dir, logTo, cpuProfDir } = options;
  if (!existsSync(GATEWAY_MAIN))
    throw new Error(`${GATEWAY_MAIN.replace(ROOT, '')} is missing (npm run build)`);
  const port = await freePort();
  const routes = mode === 'static' ? staticRoutesFile(dir, upstream.ports) : undefined;
  const env = {
    ...process.env,
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    MESH_SERVICE_AUTH_SECRET: secret,
    Mesh__Gateway__Host: '127.0.0.1',
    Mesh__Gateway__Port: String(port),
    Mesh__Gateway__AccessLog: 'true',
    ...(engine ? { Mesh__Gateway__Engine: engine } : {}),
    ...(mode === 'registry'
      ? {
          Mesh__Registry__Provider: 'Discovery',
          Mesh__Registry__Discovery__Url: discoveryUrl,
          Mesh__Registry__Discovery__Transport: 'http',
        }
      : { Mesh__Registry__Provider: 'Memory', Mesh__Gateway__StaticRoutesFile: routes }),
    ...JSON.parse(process.env.BENCH_GATEWAY_ENV ?? '{}'),
  };
  const name = `gateway-${mode}${engine ? `-${engine}` : ''}`;
  const logFile = logTo === 'null' ? '/dev/null' : join(dir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const profile = cpuProfDir
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}.cpuprofile`]
    : [];
  // The flags the gateway ships with (apps/gateway/node-flags.json); BENCH_GATEWAY_NODE_FLAGS replaces them.
  const nodeFlags =
    process.env.BENCH_GATEWAY_NODE_FLAGS === undefined
      ? SHIPPED_NODE_FLAGS
      : process.env.BENCH_GATEWAY_NODE_FLAGS.split(' ').filter(Boolean);
  const child = group.spawn(process.execPath, [...nodeFlags, ...profile, GATEWAY_MAIN], {
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const base = `http://127.0.0.1:${port}`;
  const url = mode === 'registry' ? `${base}/api/${SERVICE}/hello` : `${base}/static/bench/hello`;
  try {
    // Any answer means it listens; then the route must reach the upstream (the registry watch has synced).
    await waitForHttp(`${base}/health`, { child, timeoutMs: 60_000, accept: () => true });
    await waitForHttp(url, { child, timeoutMs: 15_000 });
  } catch (error) {
    await group.stop(child);
    const tail = logTo === 'null' ? '' : `\n  gateway log tail:\n${logTail(logFile)}`;
    throw new Error(`${error.message}${tail}`, { cause: error });
  }
  const instances = upstream.ports.length;
  return {
    key: mode === 'static' ? 'gateway-static' : engine ? `gateway-engine-${engine}` : 'gateway',
    mode,
    label:
      mode === 'registry'
        ? `gateway (registry, ${instances} instances${engine ? `, engine ${engine}` : ''})`
        : 'gateway (static route)',
    url,
    pid: child.pid,
    child,
    measuredPorts: upstream.ports,
    notes: [
      `access log on, stdout to ${logTo === 'null' ? '/dev/null' : 'a file'}; metrics on (defaults)`,
      mode === 'registry'
        ? `/api/${SERVICE}/ resolved through apps/discovery: ${instances} instances (ports of the one ` +
          `upstream process), no lb_strategy metadata, so the gateway's default strategy`
        : `/static/bench/ from a static-routes YAML file: ${instances} upstream URLs, RoundRobin`,
      `node flags: ${nodeFlags.join(' ') || '(none)'}`,
    ],
    profile: cpuProfDir ? join(cpuProfDir, `${name}.cpuprofile`) : undefined,
    evidence: () => gatewayEvidence(base, logTo === 'null' ? undefined : logFile),
  };
}

function staticRoutesFile(dir, ports) {
  const file = join(dir, 'gateway-routes.yaml');
  const upstreams = ports.map((port) => `      - http://127.0.0.1:${port}`).join('\n');
  writeFileSync(
    file,
    `routes:\n  - name: bench-static\n    pathPrefix: /static/bench/\n    stripPrefix: true\n    strategy: RoundRobin\n    upstreams:\n${upstreams}\n`,
  );
  return file;
}

/** Shows that metrics and access logging were really on: metric series and log lines written. */
async function gatewayEvidence(base, logFile) {
  const evidence = {};
  try {
    const text = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    evidence.gatewayMetricSeries = text
      .split('\n')
      .filter((line) => line.startsWith('toskamesh_gateway_')).length;
  } catch (error) {
    evidence.gatewayMetricSeries = `unreadable: ${error.message}`;
  }
  if (logFile) {
    evidence.logBytes = statSync(logFile).size;
    evidence.logLines = await countLines(logFile);
  }
  return evidence;
}

async function countLines(file) {
  let lines = 0;
  for await (const chunk of createReadStream(file)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

function logTail(file) {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .slice(-15)
      .map((line) => `    ${line}`)
      .join('\n');
  } catch {
    return '    (no log)';
  }
}

/** A fresh secret for service tokens, shared by discovery, the gateway and the benchmark only. */
export const newSecret = () => randomBytes(48).toString('base64url');
