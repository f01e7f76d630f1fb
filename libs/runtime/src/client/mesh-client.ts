import { Inject, Injectable, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { deferredRequire, type ServiceInstance } from '@toskamesh/common';
import { LoadBalancerRegistry } from '@toskamesh/load-balancing';
import { CircuitBreakerRegistry, RetryBudgetRegistry } from '@toskamesh/resilience';
import { ServiceTokenProvider } from '@toskamesh/security';
import { injectTraceHeaders } from '@toskamesh/telemetry';
import type * as Undici from 'undici';
import type { Agent } from 'undici';
import type { ResolvedMeshRuntimeOptions } from '../options/resolved-runtime-options.js';
import { RESOLVED_RUNTIME_OPTIONS } from '../options/runtime-options.token.js';
import { InstanceDirectory } from './instance-directory.js';
import { MeshServiceClient } from './mesh-service-client.js';

/** undici, required when the first service client is made: a service that never calls others skips it. */
const undici = deferredRequire<typeof Undici>(import.meta.url, 'undici');

/**
 * Calls other mesh services by name: `meshClient.for('orders').get('/items/1')`. Instances come from a
 * registry watch (cached, push-updated); each call goes through the service's load balancer, circuit
 * breaker, retry budget and a total timeout, with the service token and trace headers attached.
 */
@Injectable()
export class MeshClient implements OnApplicationShutdown {
  private readonly clients = new Map<string, MeshServiceClient>();
  private dispatcher: Agent | undefined;

  constructor(
    @Inject(RESOLVED_RUNTIME_OPTIONS) private readonly options: ResolvedMeshRuntimeOptions,
    private readonly directory: InstanceDirectory,
    private readonly balancers: LoadBalancerRegistry,
    private readonly breakers: CircuitBreakerRegistry,
    private readonly retries: RetryBudgetRegistry,
    @Optional() private readonly tokens?: ServiceTokenProvider,
  ) {}

  /** The client of `serviceName` (one per name, reused). */
  for(serviceName: string): MeshServiceClient {
    let client = this.clients.get(serviceName);
    if (!client) {
      client = new MeshServiceClient(serviceName, {
        directory: this.directory,
        balancers: this.balancers,
        breakers: this.breakers,
        retries: this.retries,
        dispatcher: (this.dispatcher ??= new (undici().Agent)({
          keepAliveTimeout: 10_000,
          connect: { timeout: 2000 },
          headersTimeout: 0,
          bodyTimeout: 0,
        })),
        outboundHeaders: (headers) => this.addOutboundHeaders(headers),
        timeoutMs: this.options.client.timeoutMs,
        extraAttempts: this.options.client.retries,
      });
      this.clients.set(serviceName, client);
    }
    return client;
  }

  /** Healthy instances of `serviceName`, waiting (bounded) for the first registry snapshot. */
  instances(serviceName: string): Promise<readonly ServiceInstance[]> {
    return this.directory.healthy(serviceName, this.options.client.timeoutMs);
  }

  /** The cached healthy instances without waiting (`undefined` until the service was first looked up). */
  cachedInstances(serviceName: string): readonly ServiceInstance[] | undefined {
    return this.directory.cached(serviceName);
  }

  async onApplicationShutdown(): Promise<void> {
    // The app may be shut down twice (close(), then a signal); undici refuses to close a pool twice.
    const { dispatcher } = this;
    if (!dispatcher || dispatcher.closed || dispatcher.destroyed) return;
    await dispatcher.close();
  }

  private async addOutboundHeaders(headers: Record<string, string>): Promise<void> {
    injectTraceHeaders(headers);
    if (this.tokens && headers.authorization === undefined) {
      headers.authorization = `Bearer ${await this.tokens.getToken()}`;
    }
  }
}
