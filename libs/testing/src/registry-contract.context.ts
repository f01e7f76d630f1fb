import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { ServiceInstance, ServiceRegistration } from '@toskamesh/common';
import type { RegistryChange, ServiceRegistry } from '@toskamesh/registry';
import { nextChange } from './next-change.js';
import {
  resolveCapabilities,
  type RegistryContractCapabilities,
  type RegistryContractSubject,
  type ResolvedRegistryContractCapabilities,
} from './registry-contract.types.js';
import { uniqueName } from './unique-name.js';

/** A watch opened by a contract test; aborted after the test. */
export interface ContractWatch {
  iterator: AsyncIterator<RegistryChange>;
  controller: AbortController;
}

/** Shared state of one contract suite: the subject, naming, and what to clean up after each test. */
export interface ContractContext {
  readonly caps: ResolvedRegistryContractCapabilities;
  /** The registry under test (available inside tests, after `beforeAll`). */
  registry(): ServiceRegistry;
  /** A service name unique to this suite run and this call. */
  serviceName(label: string): string;
  /** The names minted so far by this suite (to filter `services()` on a shared backend). */
  ownsService(name: string): boolean;
  /** A valid registration with a distinct port and no health check, plus `overrides`. */
  registration(serviceName: string, overrides?: Partial<ServiceRegistration>): ServiceRegistration;
  /** `registry.register` that remembers the id for clean-up. */
  register(registration: ServiceRegistration): Promise<ServiceInstance>;
  /** Opens a watch aborted after the test; `snapshot` reads the first item. */
  watch(serviceName?: string): ContractWatch;
  /** Opens a watch and reads its first item, which must be a snapshot. */
  watchFromSnapshot(serviceName?: string): Promise<ContractWatch & { snapshotIndex: number }>;
}

/** Creates the context and registers the suite's `beforeAll` / `afterEach` / `afterAll` hooks. */
export function createContractContext(
  setup: () => Promise<RegistryContractSubject>,
  capabilities: RegistryContractCapabilities | undefined,
): ContractContext {
  const caps = resolveCapabilities(capabilities);
  const prefix = uniqueName('ct');
  const minted = new Set<string>();
  const registeredIds = new Set<string>();
  const watches: ContractWatch[] = [];
  let subject: RegistryContractSubject | undefined;
  let counter = 0;

  beforeAll(async () => {
    subject = await setup();
  });
  afterEach(async () => {
    for (const { controller, iterator } of watches.splice(0)) {
      controller.abort();
      void iterator.return?.().catch(() => undefined);
    }
    const ids = [...registeredIds];
    registeredIds.clear();
    await Promise.allSettled(ids.map((id) => subject?.registry.deregister(id)));
  });
  afterAll(async () => {
    await subject?.close();
  });

  const context: ContractContext = {
    caps,
    registry() {
      if (!subject) throw new Error('the contract subject is not set up (setup() failed?)');
      return subject.registry;
    },
    serviceName(label) {
      counter += 1;
      const name = `${prefix}-${counter}-${label}`;
      minted.add(name);
      return name;
    },
    ownsService: (name) => minted.has(name),
    registration(serviceName, overrides = {}) {
      counter += 1;
      return { serviceName, address: '10.20.30.40', port: 20_000 + counter, ...overrides };
    },
    async register(registration) {
      const instance = await context.registry().register(registration);
      registeredIds.add(instance.serviceId);
      return instance;
    },
    watch(serviceName) {
      const controller = new AbortController();
      const iterable = context.registry().watch(serviceName, { signal: controller.signal });
      const watch = { iterator: iterable[Symbol.asyncIterator](), controller };
      watches.push(watch);
      return watch;
    },
    async watchFromSnapshot(serviceName) {
      const watch = context.watch(serviceName);
      const first = await nextChange(watch.iterator, caps.changeTimeoutMs);
      if (first.type !== 'snapshot') throw new Error(`first watch item was "${first.type}", not a snapshot`);
      return { ...watch, snapshotIndex: first.index };
    },
  };
  return context;
}
