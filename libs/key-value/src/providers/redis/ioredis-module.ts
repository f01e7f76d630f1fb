import type * as IORedis from 'ioredis';
import { deferredRequire } from '@toskamesh/common';

/** ioredis, required when the first Redis store is built: a service on another provider never loads it. */
export const ioredis = deferredRequire<typeof IORedis>(import.meta.url, 'ioredis');
