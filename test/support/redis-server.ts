/**
 * A Redis server of the test's own (the system redis-server binary on a free port), so that a test
 * can stop, flush or restart it without touching the Redis other tests share. It keeps nothing on
 * disk: a restart comes back empty, as a Redis with `--save ""` does after a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface TestRedis {
  readonly port: number;
  readonly url: string;
  /** Kill the server (SIGKILL: no goodbye to clients, as a crash). */
  stop(): Promise<void>;
  /** Start it again on the same port, empty (nothing when it is running). */
  start(): Promise<void>;
  /** FLUSHALL: every key gone, the connections stay. */
  flush(): Promise<void>;
  /** A client for the test's own reads; closed by close(). */
  client(): Redis;
  close(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitUntilUp(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const clients: Redis[] = [];
  const running = () => child !== undefined && child.exitCode === null && child.signalCode === null;
  const launch = async () => {
    // Already up: starting again must not spawn a second server that dies on the taken port.
    if (running()) return;
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'], { stdio: 'ignore' });
    await waitUntilUp(port);
  };
  const kill = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = once(c, 'exit');
    c.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: kill,
    start: launch,
    async flush() {
      const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
      try {
        await r.flushall();
      } finally {
        r.disconnect();
      }
    },
    client() {
      const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
      r.on('error', () => undefined);
      clients.push(r);
      return r;
    },
    async close() {
      for (const c of clients) c.disconnect();
      await kill();
    },
  };
}
