// One cell: wrk against one target for a fixed time, with the server-side CPU time (utime + stime from
// /proc) of the proxy's process tree and of the upstream taken just before and just after, and the
// proxy's resident memory sampled every second under load.
import { setInterval, clearInterval } from 'node:timers';
import { loadavg } from 'node:os';
import {
  clockTicksPerSecond,
  cpuTicks,
  machineBusyTicks,
  ownTicks,
  processTree,
  reapedChildrenTicks,
  statusBytes,
} from '../lib/proc-stats.js';
import { runWrk } from './wrk.js';

const MB = 1024 * 1024;

/**
 * @param {import('./targets.js').Target} target
 * @param {{ upstreamPid: number, seconds: number, threads: number, connections: number }} options
 */
export async function measureCell(group, target, { upstreamPid, seconds, threads, connections }) {
  const proxyPids = target.pid === undefined ? [] : processTree(target.pid);
  const ticksPerSecond = clockTicksPerSecond();
  let rssMax = 0;
  const sampleRss = () => (rssMax = Math.max(rssMax, statusBytes(proxyPids, 'VmRSS')));
  const sampler = setInterval(sampleRss, 1000);
  const loadavg1 = loadavg()[0];
  const machineBefore = machineBusyTicks();
  const benchBefore = reapedChildrenTicks() + ownTicks();
  const proxyBefore = cpuTicks(proxyPids);
  const upstreamBefore = cpuTicks([upstreamPid]);
  let load;
  try {
    load = await runWrk(group, { url: target.url, seconds, threads, connections });
  } finally {
    clearInterval(sampler);
  }
  const proxyTicks = cpuTicks(proxyPids) - proxyBefore;
  const upstreamTicks = cpuTicks([upstreamPid]) - upstreamBefore;
  // wrk (reaped by now) and this process: the load generator's share of the 2 cores.
  const loadGeneratorTicks = reapedChildrenTicks() + ownTicks() - benchBefore;
  const otherTicks = machineBusyTicks() - machineBefore - proxyTicks - upstreamTicks - loadGeneratorTicks;
  sampleRss();
  const usPerRequest = (ticks) => (load.requests > 0 ? (ticks / ticksPerSecond / load.requests) * 1e6 : NaN);
  const proxied = proxyPids.length > 0;
  return {
    requestsPerSec: load.requestsPerSec,
    p50Ms: load.p50Ms,
    p99Ms: load.p99Ms,
    p999Ms: load.p999Ms,
    requests: load.requests,
    failed: load.failed,
    errors: load.errors,
    cpuUsPerRequestProxy: proxied ? usPerRequest(proxyTicks) : null,
    cpuUsPerRequestUpstream: usPerRequest(upstreamTicks),
    cpuUsPerRequestTotal: usPerRequest(proxyTicks + upstreamTicks),
    // Cores the proxy kept busy on average (1.0 = one core fully).
    proxyCores: proxied ? proxyTicks / ticksPerSecond / seconds : null,
    loadGeneratorCores: loadGeneratorTicks / ticksPerSecond / seconds,
    // Everything else the machine ran meanwhile (other work on a shared VM): the noise in this cell.
    otherCores: Math.max(0, otherTicks) / ticksPerSecond / seconds,
    loadavg1AtStart: loadavg1,
    rssMbMax: proxied ? rssMax / MB : null,
    peakRssMb: proxied ? statusBytes(proxyPids, 'VmHWM') / MB : null,
  };
}
