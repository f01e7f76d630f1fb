import { Logger, type LoggerService } from '@nestjs/common';
import { MESH_METADATA } from '@toskamesh/common';
import type { ResolvedGatewayOptions } from '../config/resolved-gateway-options.js';
import { httpProbe, type HealthProbe } from './http-probe.js';
import type { ProbeTarget, UpstreamPools } from './upstream-pools.js';

/** Optional collaborators of {@link ActiveProber}. */
export interface ActiveProberDeps {
  /** Sends one probe. @default httpProbe (GET over node:http/https) */
  probe?: HealthProbe;
  /** Probes in flight at once. @default 8 */
  concurrency?: number;
  /** @default new Logger('ActiveProber') */
  logger?: Pick<LoggerService, 'debug' | 'warn'>;
}

/** The URL probed for a target: its metadata `health_check_endpoint` (path part), else `path`. */
export function probeUrl(target: ProbeTarget['target'], path: string): URL {
  const endpoint = target.instance?.metadata[MESH_METADATA.healthCheckEndpoint]?.trim() || path;
  // Only the path of an absolute endpoint is used: a registration must not point probes at another host.
  const relative = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)
    ? new URL(endpoint).pathname + new URL(endpoint).search
    : endpoint;
  return new URL(relative.startsWith('/') ? relative : `/${relative}`, target.origin);
}

/**
 * Optional active health checks: every `intervalMs` each known target of each pool is probed with a GET
 * and the verdict goes to {@link UpstreamPools.reportProbe} (`unhealthyThreshold` failures in a row eject
 * a target, one pass restores it). A round never overlaps the next; at most `concurrency` probes run at
 * once. The timer is unref'd and {@link stop} cancels and awaits the probes in flight.
 */
export class ActiveProber {
  private readonly probe: HealthProbe;
  private readonly concurrency: number;
  private readonly logger: Pick<LoggerService, 'debug' | 'warn'>;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;
  private controller: AbortController | undefined;
  private running = false;

  constructor(
    private readonly pools: UpstreamPools,
    private readonly options: ResolvedGatewayOptions['activeProbes'],
    deps: ActiveProberDeps = {},
  ) {
    this.probe = deps.probe ?? httpProbe;
    this.concurrency = Math.max(1, deps.concurrency ?? 8);
    this.logger = deps.logger ?? new Logger(ActiveProber.name);
  }

  /** Starts probing (first round at once) when probes are enabled; a second call does nothing. */
  start(): void {
    if (!this.options.enabled || this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops the loop, cancels the probes in flight and waits for them to settle. Idempotent. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
    await this.round;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const started = Date.now();
      this.round = this.runRound().finally(() => {
        this.round = undefined;
        if (this.running) this.schedule(Math.max(0, this.options.intervalMs - (Date.now() - started)));
      });
    }, delayMs);
    this.timer.unref();
  }

  private async runRound(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let queue: ProbeTarget[];
    try {
      queue = this.pools.probeTargets();
    } catch (error) {
      this.logger.warn(`Active probes skipped a round: ${String(error)}`);
      return;
    }
    let next = 0;
    const worker = async () => {
      while (next < queue.length && !controller.signal.aborted) {
        const item = queue[next++]!;
        const healthy = await this.probeOne(item, controller.signal);
        if (!controller.signal.aborted) this.pools.reportProbe(item.pool, item.target.id, healthy);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
  }

  private async probeOne(item: ProbeTarget, signal: AbortSignal): Promise<boolean> {
    try {
      const url = probeUrl(item.target, this.options.path);
      const healthy = await this.probe(url, this.options.timeoutMs, signal);
      if (!healthy) this.logger.debug?.(`Probe of "${item.target.id}" (${item.pool}) at ${url.href} failed.`);
      return healthy;
    } catch {
      return false;
    }
  }
}
