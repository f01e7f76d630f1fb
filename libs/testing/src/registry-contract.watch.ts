import { describe, expect, it } from '@jest/globals';
import type { RegistryChange, RegistryEvent } from '@toskamesh/registry';
import { iteratorEnds, nextChange, nextChangeMatching } from './next-change.js';
import type { ContractContext } from './registry-contract.context.js';

/** watch(): snapshot first, then ordered events, filtering, ending, fan-out. */
export function describeWatch(ctx: ContractContext): void {
  const timeout = () => ctx.caps.changeTimeoutMs;

  describe('watch', () => {
    it('yields a snapshot of the named service first', async () => {
      const name = ctx.serviceName('snap');
      const other = ctx.serviceName('snapother');
      const a = await ctx.register(ctx.registration(name));
      const b = await ctx.register(ctx.registration(name));
      await ctx.register(ctx.registration(other));
      const first = await nextChange(ctx.watch(name).iterator, timeout());
      expect(first.type).toBe('snapshot');
      if (first.type !== 'snapshot') return;
      expect(first.instances.map((instance) => instance.serviceId).sort()).toEqual(
        [a.serviceId, b.serviceId].sort(),
      );
      expect(Number.isInteger(first.index)).toBe(true);
    });

    it('yields a snapshot of every service when no name is given', async () => {
      const one = await ctx.register(ctx.registration(ctx.serviceName('all1')));
      const two = await ctx.register(ctx.registration(ctx.serviceName('all2')));
      const first = await nextChange(ctx.watch().iterator, timeout());
      if (first.type !== 'snapshot') throw new Error(`expected a snapshot, got ${first.type}`);
      const ids = first.instances.map((instance) => instance.serviceId);
      expect(ids).toEqual(expect.arrayContaining([one.serviceId, two.serviceId]));
    });

    it('yields register, health, metadata and deregister events in order with a growing index', async () => {
      const name = ctx.serviceName('events');
      const { iterator, snapshotIndex } = await ctx.watchFromSnapshot(name);
      const instance = await ctx.register(ctx.registration(name));
      await ctx.registry().heartbeat(instance.serviceId, 'Unhealthy');
      await ctx.registry().updateMetadata(instance.serviceId, { release: 'r2' });
      await ctx.registry().deregister(instance.serviceId);

      const events: RegistryEvent[] = [];
      for (let i = 0; i < 4; i += 1) events.push(asEvent(await nextChange(iterator, timeout())));
      expect(events.map((event) => event.type)).toEqual(['register', 'health', 'metadata', 'deregister']);
      expect(events.every((event) => event.instance.serviceId === instance.serviceId)).toBe(true);
      expect(events[1]!.instance.status).toBe('Unhealthy');
      expect(events[2]!.instance.metadata).toMatchObject({ release: 'r2' });
      expect(events[3]!.reason).toBe('deregistered');
      const indexes = [snapshotIndex, ...events.map((event) => event.index)];
      for (let i = 1; i < indexes.length; i += 1) expect(indexes[i]!).toBeGreaterThan(indexes[i - 1]!);
    });

    it('does not yield changes of another service', async () => {
      const watched = ctx.serviceName('watched');
      const other = ctx.serviceName('unwatched');
      const { iterator } = await ctx.watchFromSnapshot(watched);
      await ctx.register(ctx.registration(other));
      const mine = await ctx.register(ctx.registration(watched));
      const change = asEvent(await nextChange(iterator, timeout()));
      expect(change).toMatchObject({ type: 'register', instance: { serviceId: mine.serviceId } });
    });

    it('reports changes of any service when no name is given', async () => {
      const { iterator } = await ctx.watchFromSnapshot();
      const instance = await ctx.register(ctx.registration(ctx.serviceName('anysvc')));
      const change = await nextChangeMatching(
        iterator,
        (item) => item.type === 'register' && item.instance.serviceId === instance.serviceId,
        timeout(),
      );
      expect(change.type).toBe('register');
    });

    it('ends a waiting iterator when the signal aborts', async () => {
      const { iterator, controller } = await ctx.watchFromSnapshot(ctx.serviceName('abort'));
      const waiting = iterator.next();
      controller.abort();
      const result = await Promise.race([
        waiting,
        new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), timeout()).unref()),
      ]);
      expect(result).toEqual({ done: true, value: undefined });
    });

    it('ends when the consumer breaks out of the loop', async () => {
      const { iterator } = await ctx.watchFromSnapshot(ctx.serviceName('break'));
      await iterator.return?.();
      expect(await iteratorEnds(iterator, timeout())).toBe(true);
    });

    it('delivers every change to each of two concurrent watchers', async () => {
      const name = ctx.serviceName('fanout');
      const first = await ctx.watchFromSnapshot(name);
      const second = await ctx.watchFromSnapshot(name);
      const instance = await ctx.register(ctx.registration(name));
      await ctx.registry().deregister(instance.serviceId);
      for (const watch of [first, second]) {
        const seen = [asEvent(await nextChange(watch.iterator, timeout()))];
        seen.push(asEvent(await nextChange(watch.iterator, timeout())));
        expect(seen.map((event) => [event.type, event.instance.serviceId])).toEqual([
          ['register', instance.serviceId],
          ['deregister', instance.serviceId],
        ]);
      }
    });
  });
}

function asEvent(change: RegistryChange): RegistryEvent {
  if (change.type === 'snapshot') throw new Error('expected an event, got a snapshot');
  return change;
}
