import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  backoffDelayMs,
  sleep,
  withTimeout,
  type HealthStatus,
  type ServiceInstance,
} from '@toskamesh/common';
import { ServiceNotRegisteredError, ServiceRegistry } from '@toskamesh/registry';
import { DrainState } from '../lifecycle/drain-state.js';
import type { ResolvedMeshRuntimeOptions } from '../options/resolved-runtime-options.js';
import { RESOLVED_RUNTIME_OPTIONS } from '../options/runtime-options.token.js';
import { advertisedAddressFor } from './listen-address.js';
import { heartbeatPeriodMs, registrationPayload } from './registration-payload.js';
import { RegistryContact } from './registry-contact.js';

/** Where the service is in its registry lifecycle. */
export type RegistrationPhase =
  'disabled' | 'waiting-for-listen' | 'registering' | 'registered' | 'deregistered';

/**
 * Registers the service once its HTTP server listens (address and port read from the socket), keeps it
 * alive with heartbeats, re-registers when the registry forgot it (restart, expiry), retries with back-off
 * while the registry is unreachable — the service keeps serving meanwhile — and deregisters first thing on
 * shutdown, before the server stops accepting connections.
 */
@Injectable()
export class MeshRegistrationService
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('MeshRegistration');
  private readonly stopped = new AbortController();
  private phase: RegistrationPhase = 'disabled';
  private registered: ServiceInstance | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pending: Promise<void> | undefined;
  private endpoint: { address: string; port: number } | undefined;
  private statusProvider: () => Promise<HealthStatus> = async () => 'Healthy';

  constructor(
    @Inject(RESOLVED_RUNTIME_OPTIONS) private readonly options: ResolvedMeshRuntimeOptions,
    private readonly registry: ServiceRegistry,
    private readonly adapterHost: HttpAdapterHost,
    private readonly drain: DrainState,
    private readonly contact: RegistryContact,
  ) {}

  /** Current lifecycle phase. */
  get state(): RegistrationPhase {
    return this.phase;
  }

  /** The instance as the registry stored it, once registered. */
  get instance(): ServiceInstance | undefined {
    return this.registered;
  }

  /** Sets how each heartbeat computes the status it reports (the health service wires its readiness). */
  useStatusProvider(provider: () => Promise<HealthStatus>): void {
    this.statusProvider = provider;
  }

  onApplicationBootstrap(): void {
    if (!this.options.registration.enabled) return;
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) {
      this.logger.warn(
        'No HTTP server: the service will not register (registration needs a listening server)',
      );
      return;
    }
    this.phase = 'waiting-for-listen';
    const start = () => this.start(server.address() as AddressInfo);
    if (server.listening) start();
    else server.once('listening', start);
  }

  /** Drain begins and the instance leaves the registry before Nest closes anything else. */
  async onModuleDestroy(): Promise<void> {
    this.drain.begin();
    this.stopped.abort();
    clearTimeout(this.heartbeatTimer);
    // A registration already sent may still land; wait for it (bounded) so it is removed too.
    await withTimeout('pending registration', this.options.registration.callTimeoutMs, async () => {
      await this.pending;
    }).catch(() => undefined);
    if (!this.registered) return;
    const { serviceId } = this.registered;
    this.registered = undefined;
    this.phase = 'deregistered';
    try {
      await withTimeout('deregister', this.options.registration.callTimeoutMs, () =>
        this.registry.deregister(serviceId),
      );
      this.logger.log(`Deregistered ${serviceId}`);
    } catch (error) {
      this.logger.warn(`Could not deregister ${serviceId}: ${describe(error)} (its TTL will expire it)`);
    }
  }

  /** Keeps serving for `drainDelayMs` after deregistering, so callers' caches drop this instance first. */
  async beforeApplicationShutdown(): Promise<void> {
    const { drainDelayMs } = this.options.registration;
    if (drainDelayMs > 0 && this.phase === 'deregistered') await sleep(drainDelayMs);
  }

  private start(bound: AddressInfo): void {
    this.endpoint = {
      address: advertisedAddressFor(bound, this.options.service.advertisedAddress),
      port: bound.port,
    };
    void this.registerInBackground();
  }

  /** Runs the registration loop, remembered so shutdown can wait for a registration in flight. */
  private registerInBackground(): Promise<void> {
    this.pending = this.registerUntilDone().catch((error: unknown) =>
      this.logger.error(`Registration loop failed: ${describe(error)}`),
    );
    return this.pending;
  }

  private async registerUntilDone(): Promise<void> {
    this.phase = 'registering';
    const { address, port } = this.endpoint!;
    const payload = registrationPayload(this.options, address, port);
    for (let attempt = 0; !this.stopped.signal.aborted; attempt++) {
      try {
        this.registered = await this.call('register', () => this.registry.register(payload));
        this.phase = 'registered';
        this.logger.log(`Registered ${payload.serviceName} as ${payload.serviceId} at ${address}:${port}`);
        await this.beat();
        return;
      } catch (error) {
        const delay = backoffDelayMs(attempt, { ...this.options.registration.retry, jitter: 'full' });
        this.logger.warn(
          `Registration of ${payload.serviceId} failed (attempt ${attempt + 1}): ${describe(error)}; ` +
            `still serving, retrying in ${delay} ms`,
        );
        await sleep(delay, this.stopped.signal).catch(() => undefined);
      }
    }
  }

  private scheduleHeartbeat(): void {
    if (!this.options.registration.heartbeat || this.stopped.signal.aborted) return;
    this.heartbeatTimer = setTimeout(
      () => void this.beat(),
      heartbeatPeriodMs(this.options.registration.healthIntervalMs),
    );
    this.heartbeatTimer.unref();
  }

  private async beat(): Promise<void> {
    if (!this.registered || this.stopped.signal.aborted) return;
    const { serviceId } = this.registered;
    try {
      const status = this.drain.draining ? 'Unhealthy' : await this.currentStatus();
      await this.call('heartbeat', () => this.registry.heartbeat(serviceId, status));
    } catch (error) {
      if (error instanceof ServiceNotRegisteredError) {
        this.logger.warn(`The registry no longer knows ${serviceId}; registering again`);
        this.registered = undefined;
        return this.registerInBackground();
      }
      this.logger.warn(`Heartbeat for ${serviceId} failed: ${describe(error)}`);
    }
    this.scheduleHeartbeat();
  }

  /** A status check that never settles must not stall the heartbeats: it counts as Unhealthy. */
  private currentStatus(): Promise<HealthStatus> {
    return withTimeout('heartbeat status', this.options.registration.callTimeoutMs, () =>
      this.statusProvider(),
    ).catch((error: unknown) => {
      this.logger.warn(`Could not compute the heartbeat status: ${describe(error)}`);
      return 'Unhealthy' as const;
    });
  }

  private async call<T>(operation: string, task: () => Promise<T>): Promise<T> {
    try {
      const result = await withTimeout(
        `registry ${operation}`,
        this.options.registration.callTimeoutMs,
        task,
        this.stopped.signal,
      );
      this.contact.succeeded();
      return result;
    } catch (error) {
      if (!(error instanceof ServiceNotRegisteredError)) this.contact.failed(error);
      else this.contact.succeeded();
      throw error;
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
