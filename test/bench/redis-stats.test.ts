import { describe, expect, it } from 'vitest';
import { redisCpuMs, redisCpuNow, redisCpuTimeline } from '../../bench/redis-stats.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe("Redis's own CPU, as the bench reads it", () => {
  it('is the server\'s system + user time from INFO cpu, in ms (the children\'s and the main thread\'s apart are not added)', () => {
    const info = '# CPU\r\nused_cpu_sys:1.250000\r\nused_cpu_user:0.500000\r\nused_cpu_sys_children:9.000000\r\nused_cpu_user_children:9.000000\r\nused_cpu_sys_main_thread:1.200000\r\n';
    expect(redisCpuMs(info)).toBe(1750);
    expect(redisCpuMs('# CPU\r\n')).toBeNaN();
  });

  it('reads a real Redis: a reading now, and a timeline that grows and answers as of a moment', async () => {
    const now = await redisCpuNow(REDIS_URL);
    expect(now).toBeGreaterThan(0);
    const line = redisCpuTimeline(REDIS_URL);
    const before = Date.now();
    await new Promise((r) => setTimeout(r, 350));
    const end = await line.stop();
    expect(line.at(before - 1)).toBeNaN();
    expect(line.at(Date.now())).toBeGreaterThanOrEqual(now);
    expect(end).toBeGreaterThanOrEqual(line.at(Date.now()));
  });

  it('a Redis that cannot be reached reads as NaN, never as an error', async () => {
    expect(await redisCpuNow('redis://127.0.0.1:1')).toBeNaN();
  });
});
