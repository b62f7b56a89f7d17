/**
 * Redis's own CPU (INFO cpu: the server's user + system time, every thread), read from outside like the bot's. Redis
 * runs every BullMQ script and the pace's on one thread: when steps due at one instant wait, this says whether the
 * bot's loop or Redis is the busier. On a machine where Redis serves only the bench, its CPU is the run's.
 */
import { Redis } from 'ioredis';
import { timeline, type CpuTimeline } from './proc-stats.js';

/** used_cpu_sys + used_cpu_user from an INFO cpu answer, in ms. */
export function redisCpuMs(info: string): number {
  const field = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_sys') + field('used_cpu_user')) * 1000;
}

/** Redis's CPU so far, in ms (NaN when it cannot be read: the figure is then missing, not the run). */
export async function redisCpuNow(url: string): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    return redisCpuMs(await redis.info('cpu'));
  } catch {
    return Number.NaN;
  } finally {
    redis.disconnect();
  }
}

/** Redis's CPU every 100 ms from now on; stop() closes the connection it reads on. */
export function redisCpuTimeline(url: string): CpuTimeline {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  // A Redis that went away reads as NaN (the run's own error says why), never an unhandled error event.
  redis.on('error', () => undefined);
  const t = timeline(async () => redisCpuMs(await redis.info('cpu')));
  return { at: t.at, stop: () => t.stop().finally(() => redis.disconnect()) };
}
