import { resolve } from 'node:path';
import { MeshConfigError } from '@toskamesh/common';
import type { ToskaStoreOptions } from '../config/toska-store-options.js';

/** The part of the server options the storage engine reads (see {@link ToskaStoreOptions} for defaults). */
export type FileKvEngineOptions = Pick<
  ToskaStoreOptions,
  | 'dataDir'
  | 'aofFile'
  | 'snapshotFile'
  | 'syncMode'
  | 'syncIntervalMs'
  | 'snapshotIntervalMs'
  | 'ttlCheckIntervalMs'
  | 'compactionIntervalMs'
  | 'compactionAofBytes'
  | 'repair'
>;

const SYNC_MODES = ['always', 'interval', 'none'];
// setInterval turns any longer delay into 1 ms (with a warning), which would spin the timers.
const MAX_TIMER_MS = 2_147_483_647;
const INTERVALS = [
  'syncIntervalMs',
  'snapshotIntervalMs',
  'ttlCheckIntervalMs',
  'compactionIntervalMs',
] as const;

/** Throws {@link MeshConfigError} naming the first option that the engine cannot run with. */
export function validateEngineOptions(options: FileKvEngineOptions): void {
  for (const key of ['dataDir', 'aofFile', 'snapshotFile'] as const) {
    if (typeof options[key] !== 'string' || options[key].trim() === '') {
      throw new MeshConfigError(key, 'must be a non-empty path', { value: options[key] });
    }
  }
  if (resolve(options.dataDir, options.aofFile) === resolve(options.dataDir, options.snapshotFile)) {
    throw new MeshConfigError('snapshotFile', 'must differ from aofFile', { value: options.snapshotFile });
  }
  if (!SYNC_MODES.includes(options.syncMode)) {
    throw new MeshConfigError('syncMode', 'is not a sync mode', {
      value: options.syncMode,
      allowed: SYNC_MODES.join(', '),
    });
  }
  for (const key of INTERVALS) {
    const value = options[key];
    if (!Number.isSafeInteger(value) || value <= 0 || value > MAX_TIMER_MS) {
      throw new MeshConfigError(key, 'must be a whole number of milliseconds', {
        value,
        allowed: `1..${MAX_TIMER_MS}`,
      });
    }
  }
  if (!Number.isSafeInteger(options.compactionAofBytes) || options.compactionAofBytes <= 0) {
    throw new MeshConfigError('compactionAofBytes', 'must be a positive whole number of bytes', {
      value: options.compactionAofBytes,
    });
  }
  if (typeof options.repair !== 'boolean') {
    throw new MeshConfigError('repair', 'must be a boolean', { value: options.repair });
  }
}
