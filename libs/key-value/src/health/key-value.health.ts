import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { MESH_KEY_VALUE_MODULE_OPTIONS } from '../key-value.module-definition.js';
import type { KeyValueModuleOptions } from '../key-value-options.js';
import { KeyValueStore } from '../key-value-store.js';
import { InstrumentedKeyValueStore } from '../metrics/instrumented.store.js';
import { pingStore } from './pingable-store.js';

/**
 * terminus indicator for the store: one cheap round trip (Redis `PING`, ToskaStore `GET /health`,
 * nothing for memory) bounded by `healthTimeoutMs`. It reports `up` / `down` and never throws, so it
 * plugs into `HealthCheckService.check([() => kv.check()])` or a mesh readiness check.
 */
@Injectable()
export class KeyValueHealthIndicator {
  private readonly timeoutMs: number;

  constructor(
    @Inject(KeyValueStore) private readonly store: KeyValueStore,
    @Inject(HealthIndicatorService) private readonly sessions: HealthIndicatorService,
    @Inject(MESH_KEY_VALUE_MODULE_OPTIONS) options: KeyValueModuleOptions,
  ) {
    this.timeoutMs = options.healthTimeoutMs ?? 2_000;
  }

  /** `{ [key]: { status: 'up' | 'down', provider, responseTime, message? } }`. */
  async check<const Key extends string = 'key-value'>(
    key: Key = 'key-value' as Key,
  ): Promise<HealthIndicatorResult<Key>> {
    const provider =
      this.store instanceof InstrumentedKeyValueStore ? this.store.provider : this.store.constructor.name;
    return this.sessions
      .check(key)
      .attempt(async ({ signal }) => {
        await pingStore(this.store, signal);
        return { provider };
      })
      .withTimeout(this.timeoutMs);
  }
}
