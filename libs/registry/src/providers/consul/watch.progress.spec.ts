import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { WatchProgress } from './watch.progress.js';

describe(WatchProgress.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('settles at once when no watch follows the service', async () => {
    const progress = new WatchProgress();
    progress.open('other');
    await expect(progress.settle('orders', 50, 1_000)).resolves.toBeUndefined();
    expect(progress.follows('orders')).toBe(false);
  });

  it('waits until every following watch applied the index', async () => {
    const progress = new WatchProgress();
    const single = progress.open('orders');
    const all = progress.open(undefined);
    let settled = false;
    void progress.settle('orders', 50, 1_000).then(() => (settled = true));
    single.applyService('orders', 50);
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toBe(false);
    all.applyCatalog(60);
    await jest.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
  });

  it('does not count the catalog index for a service an all-services watch follows', async () => {
    const progress = new WatchProgress();
    const all = progress.open(undefined);
    all.startService('orders');
    all.applyCatalog(60);
    expect(all.appliedIndex('orders')).toBe(0);
    all.applyService('orders', 55);
    expect(all.appliedIndex('orders')).toBe(55);
  });

  it('gives up after the time limit', async () => {
    const progress = new WatchProgress();
    progress.open('orders');
    let settled = false;
    void progress.settle('orders', 50, 1_000).then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(1_000);
    expect(settled).toBe(true);
  });
});
