import { describe, expect, it } from '@jest/globals';
import type { RegistryChange } from '../../registry-change.js';
import { ChangeStream } from './change.stream.js';

const snapshot = (index: number): RegistryChange => ({ type: 'snapshot', instances: [], index });

describe(ChangeStream.name, () => {
  it('hands pushed items to a waiting reader and buffers the rest in order', async () => {
    const stream = new ChangeStream(new AbortController());
    const waiting = stream.next();
    stream.push(snapshot(1));
    stream.push(snapshot(2));
    expect(await waiting).toEqual({ value: snapshot(1), done: false });
    expect(await stream.next()).toEqual({ value: snapshot(2), done: false });
  });

  it('aborts its producer and ends on return()', async () => {
    const controller = new AbortController();
    const stream = new ChangeStream(controller);
    stream.push(snapshot(1));
    await stream.return();
    expect(controller.signal.aborted).toBe(true);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('ends a waiting reader when the producer is aborted', async () => {
    const controller = new AbortController();
    const stream = new ChangeStream(controller);
    const waiting = stream.next();
    controller.abort();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });

  it('asks for a resync when the reader falls too far behind, then holds only the snapshot', async () => {
    const stream = new ChangeStream(new AbortController(), 2);
    for (let i = 1; i <= 3; i += 1) stream.push(snapshot(i));
    expect(stream.needsResync).toBe(true);
    stream.resync(snapshot(9));
    expect(stream.needsResync).toBe(false);
    expect(await stream.next()).toEqual({ value: snapshot(9), done: false });
  });
});
