/**
 * `npm start` is how operators and newcomers run the bot: SIGTERM to it (systemd, Kubernetes, Ctrl-C
 * through a process manager) must reach the bot, which shuts down cleanly, frees its port and exits 0.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { REDIS_URL } from '../../support/bot-harness.js';
import { freePort } from '../../support/redis-server.js';
import { eventually } from '../../support/eventually.js';

let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The pids of a process's children, from /proc (no procps needed). */
function childrenOf(pid: number): number[] {
  const out = execFileSync('sh', ['-c', `cat /proc/${pid}/task/*/children 2>/dev/null || true`]).toString();
  return out.split(/\s+/).filter(Boolean).map(Number);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  server.listen(port, '127.0.0.1');
  try {
    await once(server, 'listening');
    return true;
  } catch {
    return false;
  } finally {
    server.close();
  }
}

describe('npm start', () => {
  it('stops on SIGTERM: the bot shuts down, the port is free, nothing is left running, exit code 0', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ceptoar-npm-start-'));
    const port = await freePort();
    const npm = spawn('npm', ['start', '--silent'], {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DATA_DIR: dir,
        PORT: String(port),
        REDIS_URL,
        QUEUE_PREFIX: `t-${randomUUID().slice(0, 8)}`,
        LOG_FORMAT: 'json',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    createInterface({ input: npm.stderr! }).on('line', (l) => output.push(l));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, signal) => resolve({ code, signal })));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm start did not listen:\n${output.join('\n')}`)), 40_000);
      createInterface({ input: npm.stdout! }).on('line', (line) => {
        output.push(line);
        if (line.includes('"msg":"ceptoar-bot listening"')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(await portIsFree(port)).toBe(false);
    const descendants = childrenOf(npm.pid!).flatMap((c) => [c, ...childrenOf(c)]);
    expect(descendants.length).toBeGreaterThan(0);

    npm.kill('SIGTERM');
    const { code, signal } = await exited;
    expect({ code, signal }, output.join('\n')).toEqual({ code: 0, signal: null });
    expect(output.some((l) => l.includes('SIGTERM: shutting down'))).toBe(true);
    // Closing its own connections is not a Redis outage.
    expect(output.filter((l) => l.includes('Redis is unreachable'))).toEqual([]);
    // A helper the bot started (tsx's esbuild service) ends when it sees its parent's pipe close, a moment
    // after the bot: wait for that, bounded, rather than catch it on its way out.
    await eventually(async () => descendants.every((pid) => !alive(pid)), { timeoutMs: 10_000, description: 'every process npm start started has ended' }).catch(() => undefined);
    for (const pid of descendants) expect(alive(pid), `process ${pid} left running`).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });
});
