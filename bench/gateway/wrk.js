// Runs wrk for a bounded time and returns what its `done` hook (wrk-report.lua) printed.
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./wrk-report.lua', import.meta.url));

/** Where wrk is looked for; `WRK` overrides. */
export const WRK = process.env.WRK ?? '/usr/bin/wrk';

/**
 * Loads `url` with `connections` keep-alive connections over `threads` threads for `seconds`.
 * wrk is killed if it has not finished `seconds + 15` s after it started, so a hung target cannot stall
 * the run. `script` (a Lua file with wrk-report.lua's `done` hook) and `scriptArgs` (after `--`) change
 * what is sent.
 * @returns {Promise<{ requests: number, requestsPerSec: number, p50Ms: number, p99Ms: number,
 *   p999Ms: number, maxMs: number, errors: object, failed: number }>}
 */
export async function runWrk(
  group,
  { url, seconds, threads, connections, timeoutSeconds = 5, script = SCRIPT, scriptArgs = [] },
) {
  const args = [
    `-t${threads}`,
    `-c${connections}`,
    `-d${seconds}s`,
    `--timeout`,
    `${timeoutSeconds}s`,
    '-s',
    script,
    url,
    ...(scriptArgs.length > 0 ? ['--', ...scriptArgs] : []),
  ];
  const child = group.spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), (seconds + 15) * 1000);
  const code = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode, signal) => resolve(signal ?? exitCode));
  }).finally(() => clearTimeout(killer));
  const line = output.split('\n').find((text) => text.startsWith('WRK_JSON '));
  if (!line) throw new Error(`wrk ${args.join(' ')} ended (${code}) without a report:\n${output}`);
  const report = JSON.parse(line.slice('WRK_JSON '.length));
  const { connect, read, write, status, timeout } = report.errors;
  return {
    requests: report.requests,
    requestsPerSec: report.requests / (report.durationUs / 1e6),
    p50Ms: report.latencyUs.p50 / 1000,
    p99Ms: report.latencyUs.p99 / 1000,
    p999Ms: report.latencyUs.p999 / 1000,
    maxMs: report.latencyUs.max / 1000,
    errors: report.errors,
    // wrk's `status` counts answers >= 400; socket errors and timeouts are failures too.
    failed: connect + read + write + status + timeout,
  };
}
