// Where a V8 CPU profile (`node --cpu-prof`) spends its time: self time per function and per package.
// Used by gateway.bench.js with BENCH_GATEWAY_CPU_PROF; also runnable alone:
// `npx node bench/gateway/cpu-profile-top.js <file.cpuprofile> [rows]`.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { round, table } from '../lib/stats.js';

/** Which package or area a script URL belongs to (`undici`, `node:internal`, `apps/gateway`, ...). */
function area(url) {
  if (!url) return '(native / V8)';
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const inModules = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (inModules) return inModules[1];
  const inRepo = url.match(/\/(apps|libs)\/([^/]+)\//);
  return inRepo ? `${inRepo[1]}/${inRepo[2]}` : url;
}

/**
 * Self time (ms) per function and per area, largest first, with each one's share of the busy (not idle)
 * samples. Native frames (`writev`, `writeLatin1String`, GC) are time inside V8/libuv, syscalls included.
 * @returns {{ busyMs: number, idleMs: number, functions: object[], areas: object[] }}
 */
export function summariseProfile(profile, rows = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const functions = new Map();
  const areas = new Map();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    // Waiting for I/O is not work: shares are of the busy samples only.
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const name = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^file:\/\/.*?\/(node_modules|apps|libs)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
    areas.set(area(url), (areas.get(area(url)) ?? 0) + us);
    totalUs += us;
  }
  const top = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, rows)
      .map(([name, us]) => ({ name, selfMs: round(us / 1000, 1), share: round((us / totalUs) * 100, 1) }));
  return {
    busyMs: round(totalUs / 1000, 0),
    idleMs: round(idleUs / 1000, 0),
    functions: top(functions),
    areas: top(areas),
  };
}

/** Prints a profile's summary as two tables. */
export function printProfile(file, rows = 25) {
  const summary = summariseProfile(JSON.parse(readFileSync(file, 'utf8')), rows);
  console.log(`\nCPU profile ${file} (${summary.busyMs} ms busy, ${summary.idleMs} ms idle)\n`);
  console.log(
    table(
      ['area', 'self ms', '%'],
      summary.areas.slice(0, 12).map((a) => [a.name, a.selfMs, a.share]),
    ),
  );
  console.log('');
  console.log(
    table(
      ['function', 'self ms', '%'],
      summary.functions.map((f) => [f.name, f.selfMs, f.share]),
    ),
  );
  return summary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  printProfile(process.argv[2], Number(process.argv[3] ?? 25));
}
