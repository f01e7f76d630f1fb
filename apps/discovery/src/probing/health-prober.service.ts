import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { isMeshError, type HealthStatus, type ServiceInstance } from '@toskamesh/common';
import { ServiceRegistry, type RegistryChange } from '@toskamesh/registry';
import type { ResolvedDiscoveryOptions } from '../config/discovery-options.js';
import { DISCOVERY_OPTIONS } from '../discovery-app.tokens.js';
import { InstanceTracker } from '../tracking/instance-tracker.service.js';
import { ChangeFeed } from '../watch/change-feed.service.js';
import { ConcurrencyLimit } from './concurrency-limit.js';
import { HttpProbeClient, type ProbeResult } from './http-probe.client.js';
import { probeTarget } from './probe-target.js';

/** Result of one probe and the status it left the instance in. */
export interface ProbeOutcome extends ProbeResult {
  status: HealthStatus;
  consecutiveFailures: number;
}

interface ProbeJob {
  instance: ServiceInstance;
  status: HealthStatus;
  failures: number;
  timer?: NodeJS.Timeout;
  running?: Promise<ProbeOutcome>;
}

/**
 * Active HTTP health checks. Every instance registered with a `healthCheck` is probed at once and
 * then every interval: a pass renews its TTL (it counts as a heartbeat) and sets it Healthy;
 * `unhealthyThreshold` consecutive failures set it Unhealthy once, after which its TTL is no longer
 * renewed by the prober, so a dead instance expires as the registry's TTL says. Probes in flight are
 * bounded by `probing.maxConcurrent`; every timer and request stops on shutdown.
 */
@Injectable()
export class HealthProber implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(HealthProber.name);
  private readonly jobs = new Map<string, ProbeJob>();
  private readonly oneOff = new Map<string, ProbeJob>();
  private readonly limit: ConcurrencyLimit;
  private readonly stop = new AbortController();
  private unsubscribe?: () => void;
  private warnedFull = false;

  constructor(
    private readonly registry: ServiceRegistry,
    private readonly feed: ChangeFeed,
    private readonly tracker: InstanceTracker,
    private readonly client: HttpProbeClient,
    @Inject(DISCOVERY_OPTIONS) private readonly options: ResolvedDiscoveryOptions,
  ) {
    this.limit = new ConcurrencyLimit(options.probing.maxConcurrent);
  }

  onModuleInit(): void {
    if (this.options.probing.enabled)
      this.unsubscribe = this.feed.subscribe((change) => this.observe(change));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.stop.abort();
    for (const job of this.jobs.values()) clearTimeout(job.timer);
    this.jobs.clear();
  }

  /** Instances with a scheduled probe. */
  get scheduled(): number {
    return this.jobs.size;
  }

  /** Follows the registry: schedules new registrations, drops departed ones. Public for tests. */
  observe(change: RegistryChange): void {
    if (change.type === 'snapshot') {
      const live = new Set(change.instances.map((instance) => instance.serviceId));
      for (const id of [...this.jobs.keys()]) if (!live.has(id)) this.cancel(id);
      for (const instance of change.instances) if (!this.jobs.has(instance.serviceId)) this.track(instance);
    } else if (change.type === 'register') this.track(change.instance);
    else if (change.type === 'deregister') this.cancel(change.instance.serviceId);
    else {
      const job = this.jobs.get(change.instance.serviceId);
      if (job) Object.assign(job, { instance: change.instance, status: change.instance.status });
    }
  }

  /** Runs one probe of `instance` now (`POST /health/check/{id}`) and applies its result. */
  checkNow(instance: ServiceInstance): Promise<ProbeOutcome> {
    const id = instance.serviceId;
    const scheduled = this.jobs.get(id);
    if (scheduled) return this.probe(scheduled);
    // An instance without a scheduled probe gets a one-off job, shared by concurrent checks.
    let job = this.oneOff.get(id);
    if (!job) {
      job = { instance, status: instance.status, failures: 0 };
      this.oneOff.set(id, job);
    }
    const done = () => this.oneOff.delete(id);
    return this.probe(job).finally(done);
  }

  private track(instance: ServiceInstance): void {
    this.cancel(instance.serviceId);
    if (!instance.healthCheck) return;
    if (this.jobs.size >= this.options.probing.maxInstances) {
      if (!this.warnedFull)
        this.logger.warn(`Probing at most ${this.options.probing.maxInstances} instances`);
      this.warnedFull = true;
      return;
    }
    const job: ProbeJob = { instance, status: instance.status, failures: 0 };
    this.jobs.set(instance.serviceId, job);
    this.schedule(job, 0);
  }

  private cancel(serviceId: string): void {
    const job = this.jobs.get(serviceId);
    if (!job) return;
    clearTimeout(job.timer);
    this.jobs.delete(serviceId);
  }

  private schedule(job: ProbeJob, delayMs: number): void {
    clearTimeout(job.timer);
    job.timer = setTimeout(() => void this.tick(job), delayMs);
    job.timer.unref();
  }

  private async tick(job: ProbeJob): Promise<void> {
    if (this.jobs.get(job.instance.serviceId) !== job) return;
    await this.probe(job).catch((error: unknown) => {
      if (!this.stop.signal.aborted)
        this.logger.warn(`Probe of ${job.instance.serviceId} failed: ${String(error)}`);
    });
    if (this.jobs.get(job.instance.serviceId) === job && !this.stop.signal.aborted) {
      this.schedule(job, probeTarget(job.instance, this.options.probing.defaultTimeoutMs).intervalMs);
    }
  }

  /** One probe per job at a time: an explicit check during a scheduled one shares its result. */
  private probe(job: ProbeJob): Promise<ProbeOutcome> {
    job.running ??= this.limit
      .run(() => this.execute(job), this.stop.signal)
      .finally(() => (job.running = undefined));
    return job.running;
  }

  private async execute(job: ProbeJob): Promise<ProbeOutcome> {
    const target = probeTarget(job.instance, this.options.probing.defaultTimeoutMs);
    const result = await this.client.probe(target.url, target.timeoutMs, this.stop.signal);
    // A probe cut short by shutdown says nothing about the instance: report nothing.
    if (this.stop.signal.aborted) return { ...result, status: job.status, consecutiveFailures: job.failures };
    const id = job.instance.serviceId;
    job.failures = result.healthy ? 0 : job.failures + 1;
    let report: HealthStatus | undefined;
    if (result.healthy) report = 'Healthy';
    else if (job.failures >= target.unhealthyThreshold && job.status !== 'Unhealthy') report = 'Unhealthy';
    try {
      if (report) await this.registry.heartbeat(id, report);
    } catch (error) {
      if (isMeshError(error) && error.code === 'MESH_REGISTRY_NOT_REGISTERED') this.cancel(id);
      throw error;
    }
    if (report) job.status = report;
    this.tracker.healthChecked(id, report, result.output);
    return { ...result, status: job.status, consecutiveFailures: job.failures };
  }
}
