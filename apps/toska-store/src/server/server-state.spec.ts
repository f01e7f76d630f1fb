import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { normalizeToskaStoreOptions } from '../config/resolve-toska-store-options.js';
import { STARTING_PERIOD_MS, ServerState } from './server-state.js';

describe(ServerState.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('statusName', () => {
    it('is stopped before listening, starting for 500 ms, then running, and stopped again', () => {
      const state = new ServerState(normalizeToskaStoreOptions({ port: 0 }));
      expect(state.statusName()).toBe('stopped');
      state.markListening(4321);
      expect(state.statusName()).toBe('starting');
      jest.advanceTimersByTime(STARTING_PERIOD_MS - 1);
      expect(state.statusName()).toBe('starting');
      jest.advanceTimersByTime(1);
      expect(state.statusName()).toBe('running');
      state.markStopped();
      expect(state.statusName()).toBe('stopped');
    });
  });

  describe('statusBody', () => {
    it('reports the bound port and uptime', () => {
      const state = new ServerState(normalizeToskaStoreOptions({ port: 0, env: 'prod', daemon: true }));
      state.markListening(4321);
      jest.advanceTimersByTime(1234);
      expect(state.statusBody()).toEqual({
        config: { daemon: true, env: 'prod', host: '127.0.0.1', port: 4321 },
        node: expect.stringMatching(/^toska@/),
        pid: String(process.pid),
        status: 'running',
        uptime: 1234,
      });
    });

    it('has null config and uptime when stopped', () => {
      const state = new ServerState(normalizeToskaStoreOptions());
      expect(state.statusBody()).toMatchObject({ config: null, uptime: null, status: 'stopped' });
    });
  });
});
