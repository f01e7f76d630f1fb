// Starts the processes under test other than the gateway: the upstream, the bare node:http proxy,
// @fastify/http-proxy and nginx. Each is its own process on 127.0.0.1, started through a ChildGroup.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../lib/free-port.js';
import { waitForHttp } from '../lib/wait-for-http.js';
import { findNginx, nginxConfig } from './nginx-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const script = (name) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/**
 * A target process: `pid` is the root of the process tree whose CPU and memory are the proxy's,
 * `url` is what wrk loads.
 * @typedef {{ key: string, label: string, url: string, pid?: number, child?: object, notes: string[],
 *   evidence?: () => Promise<object>, measuredPorts?: number[] }} Target
 */

/** Node child with an IPC channel, so it exits when the benchmark process dies. */
function spawnNode(group, file, args, execArgv = []) {
  return group.spawn(process.execPath, [...execArgv, file, ...args.map(String)], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

/** The upstream on `instances` ports (one process). */
export async function startUpstream(group, instances) {
  const ports = [];
  for (let i = 0; i < instances; i++) ports.push(await freePort());
  const child = spawnNode(group, script('upstream-server.mjs'), ports);
  for (const port of ports) await waitForHttp(`http://127.0.0.1:${port}/__counts`, { child });
  return {
    child,
    pid: child.pid,
    ports,
    url: `http://127.0.0.1:${ports[0]}`,
    /** Requests and accepted connections per port; each call opens exactly one new connection. */
    counts() {
      return new Promise((resolve, reject) => {
        const request = get(
          { host: '127.0.0.1', port: ports[0], path: '/__counts', agent: false },
          (response) => {
            let body = '';
            response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
            response.on('end', () => resolve(JSON.parse(body)));
          },
        );
        request.setTimeout(5000, () => request.destroy(new Error('upstream /__counts timed out')));
        request.on('error', reject);
      });
    },
  };
}

/** wrk straight at the upstream's first port: the ceiling of everything else. */
export function directTarget(upstream) {
  return {
    key: 'direct',
    label: 'direct to upstream',
    url: `${upstream.url}/hello`,
    notes: [],
  };
}

async function startNodeProxy(group, key, label, file, upstream, cpuProfDir) {
  const port = await freePort();
  const profile = cpuProfDir ? join(cpuProfDir, `${key}.cpuprofile`) : undefined;
  const execArgv = profile
    ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${key}.cpuprofile`]
    : [];
  const child = spawnNode(group, file, [port, upstream.ports[0]], execArgv);
  const url = `http://127.0.0.1:${port}/hello`;
  await waitForHttp(url, { child });
  return { key, label, url, pid: child.pid, child, notes: [], profile };
}

/**
 * The bare node:http piping proxy (bare-proxy.mjs); with `cpuProfDir`, under `--cpu-prof` as the
 * reference profile for the gateway's.
 */
export function startBareProxy(group, upstream, { cpuProfDir } = {}) {
  return startNodeProxy(
    group,
    'bare',
    'bare node:http proxy',
    script('bare-proxy.mjs'),
    upstream,
    cpuProfDir,
  );
}

/** fastify + @fastify/http-proxy (fastify-proxy.mjs); throws when the packages are not installed. */
export function startFastifyProxy(group, upstream) {
  for (const name of ['fastify', '@fastify/http-proxy']) {
    if (!existsSync(join(ROOT, 'node_modules', name, 'package.json'))) {
      throw new Error(`${name} is not installed (root devDependency)`);
    }
  }
  return startNodeProxy(group, 'fastify', '@fastify/http-proxy', script('fastify-proxy.mjs'), upstream);
}

/**
 * nginx with a generated nginx.conf in `dir` (see nginx-config.js), run in the foreground as a child;
 * its master and its one worker are measured together. Throws when nginx is not installed.
 */
export async function startNginx(group, upstream, { dir, accessLog }) {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (apt-get install nginx)');
  const port = await freePort();
  const prefix = join(dir, 'nginx');
  mkdirSync(prefix, { recursive: true });
  writeFileSync(
    join(prefix, 'nginx.conf'),
    nginxConfig({ dir: prefix, port, upstreamPort: upstream.ports[0], accessLog }),
  );
  const child = group.spawn(
    nginx,
    ['-p', `${prefix}/`, '-c', 'nginx.conf', '-e', join(prefix, 'error.log'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const url = `http://127.0.0.1:${port}/hello`;
  await waitForHttp(url, { child });
  return {
    key: 'nginx',
    label: `nginx (1 worker, access log ${accessLog ? 'on' : 'off'})`,
    url,
    pid: child.pid,
    child,
    notes: [
      `worker_processes 1; upstream keepalive 64; proxy_http_version 1.1; Connection ""; access_log ${
        accessLog ? 'on (combined, buffer=64k, to a file)' : 'off'
      }`,
    ],
  };
}
