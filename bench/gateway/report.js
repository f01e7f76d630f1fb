// Turns per-round cell measurements into medians, same-round ratios and the issue's targets, and prints
// them as tables.
import { round, table } from '../lib/stats.js';

/** Median (mean of the middle two for an even count), ignoring null/NaN. */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const METRICS = [
  'requestsPerSec',
  'p50Ms',
  'p99Ms',
  'p999Ms',
  'failed',
  'cpuUsPerRequestProxy',
  'cpuUsPerRequestUpstream',
  'cpuUsPerRequestTotal',
  'proxyCores',
  'loadGeneratorCores',
  'otherCores',
  'rssMbMax',
  'peakRssMb',
  'upstreamConnectionsOpened',
];

/** Median of every metric over a cell's rounds (`failed` is summed: any failure matters). */
export function summarise(rounds) {
  const summary = Object.fromEntries(METRICS.map((name) => [name, median(rounds.map((r) => r[name]))]));
  summary.failed = rounds.reduce((sum, r) => sum + r.failed, 0);
  summary.rssMbMax = Math.max(...rounds.map((r) => r.rssMbMax ?? 0)) || null;
  return summary;
}

/**
 * Ratios of `cell` to `base`, taken within each round (neighbours in time see the same machine load)
 * and then the median over rounds.
 */
export function ratios(cellRounds, baseRounds) {
  const per = (fn) => median(cellRounds.map((cell, i) => (baseRounds[i] ? fn(cell, baseRounds[i]) : NaN)));
  return {
    requestsPerSec: per((c, b) => c.requestsPerSec / b.requestsPerSec),
    cpuPerRequestProxy: per((c, b) => c.cpuUsPerRequestProxy / b.cpuUsPerRequestProxy),
    cpuPerRequestTotal: per((c, b) => c.cpuUsPerRequestTotal / b.cpuUsPerRequestTotal),
    p50: per((c, b) => c.p50Ms / b.p50Ms),
    p99: per((c, b) => c.p99Ms / b.p99Ms),
  };
}

/** The issue's targets for the gateway, judged against the bare proxy of the same run. */
export function gatewayTargets(summary, vsBare) {
  const check = (measure, target, value, met) => ({
    measure,
    target,
    value: round(value, 2),
    met: value === null || Number.isNaN(value) ? 'n/a' : met ? 'met' : 'not met',
  });
  return [
    check('req/s vs bare proxy', '>= 0.6x', vsBare.requestsPerSec, vsBare.requestsPerSec >= 0.6),
    check(
      'CPU/request (proxy process) vs bare proxy',
      '<= 1.6x',
      vsBare.cpuPerRequestProxy,
      vsBare.cpuPerRequestProxy <= 1.6,
    ),
    check('p99 vs bare proxy', '<= 2x', vsBare.p99, vsBare.p99 <= 2),
    check('RSS under load (MB)', '<= 150', summary.rssMbMax, summary.rssMbMax <= 150),
    check('failed requests', '0', summary.failed, summary.failed === 0),
  ];
}

const fmt = (value, digits = 1) => (value === null || value === undefined ? '-' : round(value, digits));

/** Prints the three tables: cells, ratios, gateway targets; and the notes. */
export function printReport(results) {
  const keys = Object.keys(results.cells);
  const connections = (key) => results.cells[key].median.upstreamConnectionsOpened;
  const { settings } = results;
  console.log(
    `\nGateway benchmark: wrk -t${settings.threads} -c${settings.connections}, ${settings.seconds} s per cell, ` +
      `${settings.rounds} interleaved rounds (medians), 57-byte JSON, Node ${results.node}` +
      `${settings.cpuProfDir ? ' — gateways and bare proxy under --cpu-prof: their CPU figures are inflated' : ''}\n`,
  );
  console.log(
    table(
      [
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'CPU µs/req proxy',
        'CPU µs/req +upstream',
        'RSS MB',
        'failed',
        'upstream conns opened',
        'other load',
      ],
      keys.map((key) => {
        const s = results.cells[key].median;
        return [
          results.cells[key].label,
          Math.round(s.requestsPerSec).toLocaleString('en-US'),
          fmt(s.p50Ms, 2),
          fmt(s.p99Ms, 2),
          fmt(s.cpuUsPerRequestProxy),
          fmt(s.cpuUsPerRequestTotal),
          fmt(s.rssMbMax, 0),
          s.failed,
          key === 'direct' ? '-' : fmt(connections(key), 0),
          `${fmt(s.otherCores, 2)} cores`,
        ];
      }),
    ),
  );
  console.log('\nRatios (per round, then median)\n');
  console.log(
    table(
      [
        'target',
        'req/s vs bare',
        'CPU/req vs bare (proxy)',
        'CPU/req vs bare (+upstream)',
        'p99 vs bare',
        'req/s vs direct',
      ],
      keys
        .filter((key) => results.ratios[key])
        .map((key) => {
          const r = results.ratios[key];
          return [
            results.cells[key].label,
            fmt(r.vsBare?.requestsPerSec, 2),
            fmt(r.vsBare?.cpuPerRequestProxy, 2),
            fmt(r.vsBare?.cpuPerRequestTotal, 2),
            fmt(r.vsBare?.p99, 2),
            fmt(r.vsDirect?.requestsPerSec, 2),
          ];
        }),
    ),
  );
  for (const [key, checks] of Object.entries(results.targets)) {
    console.log(`\nIssue targets — ${results.cells[key].label}\n`);
    console.log(
      table(
        ['measure', 'target', 'value', 'result'],
        checks.map((c) => [c.measure, c.target, c.value, c.met]),
      ),
    );
  }
  for (const [key, note] of Object.entries(results.skipped)) console.log(`\nSKIPPED ${key}: ${note}`);
  const notes = Object.entries(results.cells).flatMap(([, cell]) =>
    cell.notes.map((n) => `${cell.label}: ${n}`),
  );
  if (notes.length) console.log(`\nNotes\n${notes.map((n) => `- ${n}`).join('\n')}`);
  for (const [key, evidence] of Object.entries(results.evidence)) {
    console.log(`\nEvidence ${key}: ${JSON.stringify(evidence)}`);
  }
}
