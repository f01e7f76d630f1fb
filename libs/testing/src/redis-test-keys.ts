import { Redis } from 'ioredis';

/** Redis used by the e2e specs (`REDIS_URL` overrides the documented local default). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Escapes SCAN glob characters so `prefix` matches literally. */
function literal(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** A raw client for tests that look beneath an adapter (TTLs, stray bytes, CLIENT LIST). Quit it after use. */
export function rawRedis(): Redis {
  return new Redis(REDIS_URL, { commandTimeout: 2_000, maxRetriesPerRequest: 1 });
}

/** Deletes every key under `<prefix>:` so test runs leave nothing behind. Bounded by `maxRounds` scans. */
export async function deleteKeysUnder(prefix: string, maxRounds = 1_000): Promise<void> {
  const redis = rawRedis();
  try {
    let cursor = '0';
    for (let round = 0; round < maxRounds; round += 1) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${literal(prefix)}:*`, 'COUNT', 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    await redis.quit();
  }
}

/**
 * Kills every Redis client connection whose name ends with `:<nameSuffix>` (adapters name their
 * connections after their key prefix), to simulate a dropped connection. Returns how many were killed.
 */
export async function killConnectionsNamed(nameSuffix: string): Promise<number> {
  const admin = rawRedis();
  try {
    const list = (await admin.client('LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(`:${nameSuffix} `))
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await admin.client('KILL', 'ID', id);
    return ids.length;
  } finally {
    await admin.quit();
  }
}
