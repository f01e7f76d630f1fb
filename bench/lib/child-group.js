// Child processes of a benchmark, each in its own process group, all killed when the benchmark ends —
// normally, on an error, on SIGINT/SIGTERM, or (through child-reaper.js) when it is SIGKILLed — so no
// server outlives the run.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REAPER = fileURLToPath(new URL('./child-reaper.js', import.meta.url));

/** Starts and tracks child processes; `stopAll()` ends them, and process exit kills any left. */
export class ChildGroup {
  #children = new Set();
  #reaper;

  constructor() {
    this.#reaper = spawn(process.execPath, [REAPER], {
      detached: true,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    // Neither the reaper nor its channel may keep the benchmark alive.
    this.#reaper.unref();
    this.#reaper.channel?.unref();
    const killNow = () => this.killAll();
    process.once('exit', killNow);
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
      process.once(signal, () => {
        console.error(`\n${signal}: stopping child processes`);
        killNow();
        process.exit(130);
      });
    }
  }

  /**
   * `spawn` with `detached: true`: the child leads its own process group, so a signal to `-pid` also
   * reaches what it started (nginx's workers).
   */
  spawn(command, args, options = {}) {
    const child = spawn(command, args, { ...options, detached: true });
    this.#children.add(child);
    if (child.pid !== undefined) this.#tellReaper({ add: child.pid });
    child.once('exit', () => this.#children.delete(child));
    child.once('error', () => this.#children.delete(child));
    return child;
  }

  /** SIGTERM to the child's group, then SIGKILL after `graceMs` if it has not exited. */
  async stop(child, graceMs = 3000) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs + 1000))]);
      clearTimeout(timer);
    }
    // Stray group members (a worker whose master was killed) go too.
    signalGroup(child, 'SIGKILL');
    this.#children.delete(child);
    if (child.pid !== undefined) this.#tellReaper({ remove: child.pid });
  }

  /** Stops every child that is still running. */
  async stopAll() {
    await Promise.all([...this.#children].map((child) => this.stop(child)));
  }

  /** Synchronous last resort (exit handlers cannot wait): SIGKILL to every tracked group. */
  killAll() {
    for (const child of this.#children) signalGroup(child, 'SIGKILL');
    this.#children.clear();
    if (this.#reaper.connected) this.#reaper.disconnect();
  }

  #tellReaper(message) {
    try {
      if (this.#reaper.connected) this.#reaper.send(message);
    } catch {
      /* reaper gone: exit handlers still cover a normal end */
    }
  }
}

function signalGroup(child, signal) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}
