import { afterAll, afterEach, beforeAll } from '@jest/globals';
import type { KeyValueStore, SetOptions } from '@toskamesh/key-value';
import {
  resolveKeyValueCapabilities,
  type KeyValueContractCapabilities,
  type KeyValueContractSubject,
  type ResolvedKeyValueContractCapabilities,
} from './key-value-contract.types.js';
import { uniqueName } from './unique-name.js';

/** A second store opened by a test, with a `set` that remembers keys for clean-up. */
export interface ExtraStore {
  readonly store: KeyValueStore;
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
}

/** Shared state of one key/value contract suite: the subject, naming, and what to clean up after each test. */
export interface KeyValueContractContext {
  readonly caps: ResolvedKeyValueContractCapabilities;
  /** The store under test (available inside tests, after `beforeAll`). */
  store(): KeyValueStore;
  /** A key namespace (`<run>-<n>-<label>/`) unique to this suite run and this call; every test key starts with one. */
  namespace(label: string): string;
  /** `store.set` that remembers the key for clean-up. */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /**
   * Writes `entries` with at most `caps.writeConcurrency` writes in flight. `scope: 'suite'` (for
   * `beforeAll` fixtures) keeps them until the suite ends instead of deleting them after the test.
   */
  setAll(entries: ReadonlyArray<[string, unknown]>, scope?: 'test' | 'suite'): Promise<void>;
  /** Remembers keys written some other way, for clean-up. */
  track(...keys: string[]): void;
  /** Another subject from `setup` with its own store prefix (`label` makes it distinct); closed after the test. */
  open(label: string): Promise<ExtraStore>;
}

/** Creates the context and registers the suite's `beforeAll` / `afterEach` / `afterAll` hooks. */
export function createKeyValueContractContext(
  setup: (keyPrefix: string) => Promise<KeyValueContractSubject>,
  capabilities: KeyValueContractCapabilities | undefined,
): KeyValueContractContext {
  const caps = resolveKeyValueCapabilities(capabilities);
  const run = uniqueName('kvct');
  const written = new Set<string>();
  const suiteWritten = new Set<string>();
  const extras: Array<{ subject: KeyValueContractSubject; keys: Set<string> }> = [];
  let subject: KeyValueContractSubject | undefined;
  let counter = 0;

  const inBatches = async <T>(items: readonly T[], task: (item: T) => Promise<unknown>) => {
    for (let start = 0; start < items.length; start += caps.writeConcurrency) {
      await Promise.all(items.slice(start, start + caps.writeConcurrency).map(task));
    }
  };

  beforeAll(async () => {
    subject = await setup(`${run}-main`);
  });
  afterEach(async () => {
    const keys = [...written];
    written.clear();
    await inBatches(keys, (key) => subject!.store.delete(key).catch(() => false));
    for (const extra of extras.splice(0)) {
      await inBatches([...extra.keys], (key) => extra.subject.store.delete(key).catch(() => false));
      await extra.subject.close();
    }
  });
  afterAll(async () => {
    const keys = [...suiteWritten];
    suiteWritten.clear();
    if (subject) await inBatches(keys, (key) => subject!.store.delete(key).catch(() => false));
    await subject?.close();
  });

  const context: KeyValueContractContext = {
    caps,
    store() {
      if (!subject) throw new Error('the contract subject is not set up (setup() failed?)');
      return subject.store;
    },
    namespace(label) {
      counter += 1;
      return `${run}-${counter}-${label}/`;
    },
    async set(key, value, options) {
      written.add(key);
      await context.store().set(key, value, options);
    },
    async setAll(entries, scope = 'test') {
      const tracked = scope === 'suite' ? suiteWritten : written;
      await inBatches(entries, async ([key, value]) => {
        tracked.add(key);
        await context.store().set(key, value);
      });
    },
    track(...keys) {
      keys.forEach((key) => written.add(key));
    },
    async open(label) {
      counter += 1;
      const extra = { subject: await setup(`${run}-${counter}-${label}`), keys: new Set<string>() };
      extras.push(extra);
      return {
        store: extra.subject.store,
        async set(key, value, options) {
          extra.keys.add(key);
          await extra.subject.store.set(key, value, options);
        },
      };
    },
  };
  return context;
}
