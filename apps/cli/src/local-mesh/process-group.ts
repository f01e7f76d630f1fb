import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { LinePrefixer } from './line-prefixer.js';
import type { ProcessSpec } from './process-spec.js';
import { waitUntilReady } from './readiness.js';
import { startOrder } from './start-order.js';

const COLORS = [36, 35, 33, 32, 34, 31];

/** Options of {@link ProcessGroup}. */
export interface ProcessGroupOptions {
  /** Where prefixed child output goes. @default process.stdout */
  output?: Writable;
  /** Colour the prefixes (ANSI). @default output is a TTY */
  colors?: boolean;
  /** Longest wait for one process to become ready. @default 60000 */
  readyTimeoutMs?: number;
  /** Time a process gets to exit after SIGTERM before SIGKILL. @default 10000 */
  stopGraceMs?: number;
}

/**
 * Runs the local mesh's processes: starts them in dependency order, waiting for each to answer its
 * readiness URL, prefixes their output, and stops them in reverse order (SIGTERM, then SIGKILL after a
 * grace period). Children get their own process group so a terminal Ctrl-C reaches only the launcher,
 * which then stops dependants before what they depend on (services deregister before discovery exits).
 */
export class ProcessGroup {
  private readonly running: { spec: ProcessSpec; child: ChildProcess }[] = [];
  private readonly output: Writable;
  private readonly colors: boolean;
  private stopping = false;
  private readonly crashes = new AbortController();

  constructor(private readonly options: ProcessGroupOptions = {}) {
    this.output = options.output ?? process.stdout;
    this.colors = options.colors ?? Boolean((this.output as { isTTY?: boolean }).isTTY);
    process.once('exit', () => this.killAllNow());
  }

  /** Aborts when a process exits on its own; the reason names it. */
  get crashSignal(): AbortSignal {
    return this.crashes.signal;
  }

  /** Starts every process in dependency order; rejects (after stopping what started) if one fails. */
  async start(specs: readonly ProcessSpec[]): Promise<void> {
    const width = Math.max(...specs.map((spec) => spec.name.length));
    for (const [position, spec] of startOrder(specs).entries()) {
      if (this.stopping) return;
      this.launch(spec, this.prefix(spec.name, width, position));
      try {
        await waitUntilReady(spec.readyUrl, {
          timeoutMs: this.options.readyTimeoutMs ?? 60_000,
          signal: this.crashes.signal,
        });
      } catch (error) {
        await this.stop();
        throw this.crashes.signal.aborted ? this.crashes.signal.reason : error;
      }
    }
  }

  /** Stops every process, newest first. Safe to call more than once. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const { spec, child } of [...this.running].reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      this.signal(child, 'SIGTERM');
      const timer = setTimeout(() => this.signal(child, 'SIGKILL'), this.options.stopGraceMs ?? 10_000);
      await exited;
      clearTimeout(timer);
      this.output.write(`[toska] ${spec.name} stopped\n`);
    }
  }

  private launch(spec: ProcessSpec, prefix: string): void {
    const child = spawn(spec.command, spec.args, {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout?.pipe(new LinePrefixer(prefix)).pipe(this.output, { end: false });
    child.stderr?.pipe(new LinePrefixer(prefix)).pipe(this.output, { end: false });
    child.once('error', (error) =>
      this.crashes.abort(new Error(`${spec.name} could not start: ${error.message}`)),
    );
    child.once('exit', (code, signal) => {
      if (this.stopping) return;
      this.crashes.abort(new Error(`${spec.name} exited unexpectedly (${signal ?? `code ${code}`})`));
    });
    this.running.push({ spec, child });
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      // Negative pid: the child's whole process group, in case it spawned helpers of its own.
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      child.kill(signal);
    }
  }

  private killAllNow(): void {
    for (const { child } of this.running) {
      if (child.exitCode === null && child.signalCode === null) this.signal(child, 'SIGKILL');
    }
  }

  private prefix(name: string, width: number, position: number): string {
    const label = `${name.padEnd(width)} | `;
    return this.colors ? `\u001b[${COLORS[position % COLORS.length]}m${label}\u001b[0m` : label;
  }
}
