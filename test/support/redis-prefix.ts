import { Redis } from 'ioredis';
import { redisUrl } from './bot-harness.js';

/**
 * Deletes every key of one bot's queue prefix from the shared Redis, as a FLUSHALL or a Redis restart without
 * persistence would for that bot. Never FLUSHALL: other test files share the Redis.
 */
export async function deleteKeysWithPrefix(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}
