/** Leave Redis as we found it: every key under a queue prefix goes (the shared Redis is never flushed). */
import { Redis } from 'ioredis';

export async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null });
  // A test's own Redis may be stopped by now: then there is nothing to clean.
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } catch {
    // Redis gone: nothing left to clean.
  } finally {
    redis.disconnect();
  }
}
