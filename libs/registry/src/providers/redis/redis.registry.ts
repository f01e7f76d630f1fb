import { Logger } from '@nestjs/common';
import {
  parseHealthStatus,
  type HealthStatus,
  type ServiceInstance,
  type ServiceRegistration,
} from '@toskamesh/common';
import type { Redis } from 'ioredis';
import { RegistryUnavailableError } from '../../errors/registry-unavailable.error.js';
import { ServiceNotRegisteredError } from '../../errors/service-not-registered.error.js';
import { checkedMetadataMerge } from '../../instance/metadata.merge.js';
import { prepareRegistration } from '../../instance/registration.prepare.js';
import {
  byServiceId,
  compareOrdinal,
  createInstance,
  freezeInstance,
} from '../../instance/service-instance.factory.js';
import type { RegistryChange, RegistrySnapshot } from '../../registry-change.js';
import type { RedisRegistryOptions } from '../../registry-options.js';
import { resolveRedisOptions } from '../../registry-options.validation.js';
import { ServiceRegistry, type InstanceQuery, type WatchOptions } from '../../service-registry.js';
import { LuaScript } from './lua-script.js';
import { closeRedisClient, createRedisClient, redisCall } from './redis-client.factory.js';
import { decodeRecord, encodeInstance, type RecordFields } from './redis-record.codec.js';
import * as lua from './redis-registry.scripts.js';
import { RedisWatchHub } from './redis-watch.hub.js';

const SCRIPTS = {
  register: new LuaScript('register', lua.REGISTER_LUA),
  deregister: new LuaScript('deregister', lua.DEREGISTER_LUA),
  heartbeat: new LuaScript('heartbeat', lua.HEARTBEAT_LUA),
  updateMetadata: new LuaScript('updateMetadata', lua.UPDATE_METADATA_LUA),
  sweep: new LuaScript('sweep', lua.SWEEP_LUA),
  instance: new LuaScript('instance', lua.INSTANCE_LUA),
  snapshot: new LuaScript('snapshot', lua.SNAPSHOT_LUA),
  services: new LuaScript('services', lua.SERVICES_LUA),
} as const;

/** Lapsed instances one sweep script removes; a full batch is followed by another at once. */
const SWEEP_BATCH = 200;
/** Full batches per tick, so a huge backlog cannot monopolise Redis. */
const SWEEP_ROUNDS = 10;
/** Attempts of the metadata compare-and-set before giving up on a registration that keeps changing. */
const METADATA_ATTEMPTS = 10;

/**
 * Registry in Redis, shared by every process that uses the same URL and key prefix. Changes run as
 * Lua scripts (atomic across processes), bump a global index and are published on `<prefix>:events`;
 * every process sweeps lapsed TTLs and the script announces each expiry exactly once.
 * Standalone or Sentinel Redis only (the scripts touch keys they do not declare).
 */
export class RedisServiceRegistry extends ServiceRegistry {
  private readonly logger = new Logger(RedisServiceRegistry.name);
  private readonly options: Required<RedisRegistryOptions>;
  private readonly client: Redis;
  private readonly hub: RedisWatchHub;
  private readonly sweepTimer: NodeJS.Timeout;
  private sweeping = false;
  private sweepFailing = false;
  private closing: Promise<void> | undefined;

  constructor(options: RedisRegistryOptions = {}) {
    super();
    this.options = resolveRedisOptions(options);
    this.client = createRedisClient(this.options, 'commands', this.logger);
    this.hub = new RedisWatchHub(this.options, (name) => this.snapshot(name), this.logger);
    this.sweepTimer = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  override async register(input: ServiceRegistration): Promise<ServiceInstance> {
    const { registration, ttlMs } = prepareRegistration(input);
    const instance = createInstance(registration, new Date());
    const { base, status, metadata } = encodeInstance(instance);
    const args = [instance.serviceId, instance.serviceName, base, status, metadata, ttlMs];
    await this.script('register', args);
    return instance;
  }

  override async deregister(serviceId: string): Promise<boolean> {
    return (await this.script('deregister', [serviceId])) === 1;
  }

  override async heartbeat(serviceId: string, status?: HealthStatus): Promise<void> {
    const next = status === undefined ? '' : parseHealthStatus(status);
    const result = await this.script('heartbeat', [serviceId, next, Date.now()]);
    if (result === -1) throw new ServiceNotRegisteredError(serviceId);
  }

  override async updateMetadata(
    serviceId: string,
    metadata: Record<string, string>,
  ): Promise<ServiceInstance> {
    for (let attempt = 0; attempt < METADATA_ATTEMPTS; attempt += 1) {
      const fields = (await this.script('instance', [serviceId])) as RecordFields | null;
      if (!fields) throw new ServiceNotRegisteredError(serviceId);
      const current = decodeRecord(fields);
      const merged = checkedMetadataMerge(current.metadata, metadata);
      const result = await this.script('updateMetadata', [
        serviceId,
        fields[6] ?? '',
        JSON.stringify(merged),
      ]);
      if (result === -1) throw new ServiceNotRegisteredError(serviceId);
      if (result !== -2) return freezeInstance({ ...current, metadata: merged });
    }
    throw new RegistryUnavailableError(
      'redis',
      `metadata of "${serviceId}" changed concurrently ${METADATA_ATTEMPTS} times in a row; try again`,
    );
  }

  override async instance(serviceId: string): Promise<ServiceInstance | undefined> {
    const fields = (await this.script('instance', [serviceId])) as RecordFields | null;
    return fields ? decodeRecord(fields) : undefined;
  }

  override async services(): Promise<string[]> {
    const names = (await this.script('services', [])) as string[];
    return names.sort(compareOrdinal);
  }

  override async instances(serviceName: string, query: InstanceQuery = {}): Promise<ServiceInstance[]> {
    const { instances } = await this.snapshot(serviceName);
    return query.healthyOnly ? instances.filter((instance) => instance.status === 'Healthy') : instances;
  }

  override watch(serviceName?: string, options: WatchOptions = {}): AsyncIterable<RegistryChange> {
    return this.hub.open(serviceName, options.signal);
  }

  /** Stops the sweeper, ends every watch and quits both connections. Safe to call twice. */
  override close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    clearInterval(this.sweepTimer);
    await this.hub.close();
    await closeRedisClient(this.client);
  }

  private async snapshot(serviceName: string | undefined): Promise<RegistrySnapshot> {
    const [index, ...records] = (await this.script('snapshot', [serviceName ?? ''])) as [
      string,
      ...RecordFields[],
    ];
    const instances = records.map(decodeRecord).sort(byServiceId);
    return { type: 'snapshot', instances, index: Number(index) };
  }

  /** One tick of the expiry sweep; overlapping ticks are skipped. Failures are logged, never thrown. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.closing) return;
    this.sweeping = true;
    try {
      for (let round = 0; round < SWEEP_ROUNDS; round += 1) {
        if ((await this.script('sweep', [SWEEP_BATCH])) !== SWEEP_BATCH) break;
      }
      this.sweepFailing = false;
    } catch (error) {
      // Once per outage: a Redis that is down fails every tick, and the client already logs it.
      if (!this.sweepFailing) this.logger.warn(`Registry expiry sweep failed: ${String(error)}`);
      this.sweepFailing = true;
    } finally {
      this.sweeping = false;
    }
  }

  private script(name: keyof typeof SCRIPTS, args: Array<string | number>): Promise<unknown> {
    return redisCall(`registry ${name}`, () =>
      SCRIPTS[name].run(this.client, [this.options.keyPrefix, ...args]),
    );
  }
}
