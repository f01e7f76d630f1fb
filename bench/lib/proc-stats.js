// CPU time and memory of processes under test, read from Linux /proc. CPU time is steadier than
// requests/s on a shared machine: it counts the work a server did, not how much of the CPU it was given.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTicks;

/** Kernel clock ticks per second (`getconf CLK_TCK`, 100 almost everywhere), the unit of /proc CPU times. */
export function clockTicksPerSecond() {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces), or undefined when gone. */
function statFields(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/**
 * `pid` and every live descendant (nginx's workers, a cluster's children), found through the parent pid
 * of each process in /proc. Threads are not listed: a process's stat already sums its threads.
 */
export function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(entry);
    if (!fields) continue;
    const parent = Number(fields[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(Number(entry));
  }
  const tree = [];
  const queue = [pid];
  while (queue.length > 0 && tree.length < 1000) {
    const next = queue.shift();
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** utime + stime of the given processes, in clock ticks (processes that are gone count 0). */
export function cpuTicks(pids) {
  let total = 0;
  for (const pid of pids) {
    const fields = statFields(pid);
    // After the name: state(0) ppid(1) ... utime(11) stime(12) — fields 14 and 15 of proc(5).
    if (fields) total += Number(fields[11]) + Number(fields[12]);
  }
  return total;
}

/** A `kB` field of /proc/<pid>/status (`VmRSS`, `VmHWM`), summed over `pids`, in bytes. */
export function statusBytes(pids, field) {
  let total = 0;
  for (const pid of pids) {
    try {
      const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(
        new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'),
      );
      if (match) total += Number(match[1]) * 1024;
    } catch {
      /* process gone */
    }
  }
  return total;
}

/** Busy clock ticks of the whole machine so far (every CPU, all but idle and iowait), from /proc/stat. */
export function machineBusyTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = values.slice(0, 8).reduce((sum, v) => sum + v, 0);
  return total - values[3] - values[4];
}

/**
 * CPU ticks of this process's reaped children (cutime + cstime of /proc/self/stat): the difference
 * across a child's life is that child's whole CPU time, even after it exited.
 */
export function reapedChildrenTicks() {
  const fields = statFields('self');
  return Number(fields[13]) + Number(fields[14]);
}

/** This process's own utime + stime. */
export function ownTicks() {
  return cpuTicks(['self']);
}
