import { Logger, type LoggerService } from '@nestjs/common';
import type { ServiceInstance } from '@toskamesh/common';
import type { RegistryChange, ServiceRegistry } from '@toskamesh/registry';
import { CatalogState } from './service-catalog.state.js';

/** Options of {@link ServiceCatalog}. */
export interface ServiceCatalogOptions {
  /** First pause before re-opening a watch that ended or failed; doubles per failure. @default 250 */
  reconnectDelayMs?: number;
  /** Longest pause between re-opening attempts. @default 5000 */
  maxReconnectDelayMs?: number;
  /** `start()` resolves (with a warning) after this long without a first snapshot. @default 5000 */
  startTimeoutMs?: number;
  logger?: LoggerService;
}

/**
 * The gateway's live view of the registry: follows `ServiceRegistry.watch()` of every service and
 * keeps the Healthy instances per service (names compared case-insensitively). Each change is applied
 * as its watch item arrives, with no polling in between.
 *
 * When the watch ends or throws, the last known instances keep serving while it is re-opened with a
 * capped exponential back-off; the outage is logged once, and its end once.
 */
export class ServiceCatalog {
  private readonly state = new CatalogState();
  private readonly listeners = new Set<(service: string) => void>();
  private readonly logger: LoggerService;
  private readonly reconnectDelayMs: number;
  private readonly maxReconnectDelayMs: number;
  private readonly startTimeoutMs: number;
  private controller?: AbortController;
  private loop?: Promise<void>;
  private firstSnapshot?: () => void;
  private synced = false;
  private down = false;

  constructor(
    private readonly registry: ServiceRegistry,
    options: ServiceCatalogOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(ServiceCatalog.name);
    this.reconnectDelayMs = Math.max(1, options.reconnectDelayMs ?? 250);
    this.maxReconnectDelayMs = Math.max(this.reconnectDelayMs, options.maxReconnectDelayMs ?? 5_000);
    this.startTimeoutMs = options.startTimeoutMs ?? 5_000;
  }

  /** True once the first snapshot arrived (the catalog reflects the registry). */
  get isSynced(): boolean {
    return this.synced;
  }

  /** `index` of the last registry change applied (`-1` before the first). */
  get lastIndex(): number {
    return this.state.lastIndex;
  }

  /**
   * Opens the watch of all services. Resolves after the first snapshot, or after `startTimeoutMs`
   * with a warning (the gateway then starts empty and fills in when the registry answers).
   */
  async start(): Promise<void> {
    if (this.loop) return;
    const controller = new AbortController();
    this.controller = controller;
    const synced = new Promise<void>((resolve) => (this.firstSnapshot = resolve));
    this.loop = this.follow(controller.signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), this.startTimeoutMs);
      timer.unref();
    });
    const late = await Promise.race([synced.then(() => false), timedOut]);
    clearTimeout(timer);
    if (late && !controller.signal.aborted) {
      this.logger.warn(
        `No registry snapshot after ${this.startTimeoutMs} ms; routing starts empty and fills in when the registry answers`,
      );
    }
  }

  /** Closes the watch and waits for its loop to end (at most 5 s). Safe to call twice. */
  async stop(): Promise<void> {
    const loop = this.loop;
    this.controller?.abort();
    this.firstSnapshot?.();
    this.loop = undefined;
    this.controller = undefined;
    if (!loop) return;
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      loop.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 5_000);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
    if (!ended) this.logger.warn('The registry watch did not end within 5 s of stop; leaving it behind');
  }

  /**
   * Healthy instances of `service` (any case), sorted by `serviceId`: `[]` when the service has
   * instances but none Healthy, `undefined` when it has none at all. The same frozen array is returned
   * until the service's Healthy set changes.
   */
  instances(service: string): readonly ServiceInstance[] | undefined {
    return this.state.instances(service);
  }

  /** Every instance of `service` whatever its status (for the admin API). */
  allInstances(service: string): ServiceInstance[] {
    return this.state.allInstances(service);
  }

  /** Lower-cased names of the services with at least one instance, sorted. */
  services(): string[] {
    return this.state.services();
  }

  /**
   * Calls `listener` with the lower-cased service name whenever its Healthy array changes (appears,
   * changes or vanishes). Returns a function that removes the listener.
   */
  onChange(listener: (service: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async follow(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      const openedAt = Date.now();
      let problem: unknown;
      try {
        for await (const change of this.registry.watch(undefined, { signal })) this.accept(change);
      } catch (error) {
        problem = error;
      }
      if (signal.aborted) break;
      // A watch that lived longer than the longest pause was a success: start the back-off afresh.
      if (this.synced && Date.now() - openedAt > this.maxReconnectDelayMs) failures = 0;
      this.reportOutage(problem);
      await pause(this.delay(failures++), signal);
    }
  }

  private accept(change: RegistryChange): void {
    let changed: string[];
    try {
      changed = this.state.apply(change);
    } catch (error) {
      this.logger.error(`Ignored a malformed registry change: ${describe(error)}`);
      return;
    }
    if (change.type === 'snapshot') {
      this.synced = true;
      this.firstSnapshot?.();
      if (this.down) {
        this.down = false;
        this.logger.log(`Registry watch restored (${this.services().length} services)`);
      }
    }
    for (const service of changed) this.notify(service);
  }

  private notify(service: string): void {
    for (const listener of this.listeners) {
      try {
        listener(service);
      } catch (error) {
        this.logger.error(`A catalog change listener failed for "${service}": ${describe(error)}`);
      }
    }
  }

  private reportOutage(problem: unknown): void {
    if (this.down) return;
    this.down = true;
    const why = problem === undefined ? 'the watch ended' : describe(problem);
    this.logger.warn(`Registry watch lost (${why}); routing on the last known instances while reconnecting`);
  }

  /** Capped exponential back-off with "equal jitter": never below half the step, so no hot loop. */
  private delay(failures: number): number {
    const step = Math.min(this.maxReconnectDelayMs, this.reconnectDelayMs * 2 ** Math.min(failures, 30));
    return Math.round(step / 2 + Math.random() * (step / 2));
  }
}

/** Waits `ms` or until `signal` aborts, whichever is first; never rejects. Global timers, so fake timers apply. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
