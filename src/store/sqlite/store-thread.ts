/**
 * The embedded store's own thread (started by threaded-store.ts): one SqliteStore, answering calls in the order they
 * come. Its statements, its JSON and the fsync in each COMMIT run here, beside the bot's event loop instead of on it.
 * The commit group works as in the bot's thread: the calls of one turn of this thread's loop share one COMMIT, and
 * each is answered only after it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteStore } from './sqlite-store.js';
import { toThrown, type StoreAnswer, type StoreCall, type StoreThreadReady } from './thread-protocol.js';
import { STORE_THREAD_METHODS } from './threaded-store-methods.js';

const port = parentPort;
if (!port) throw new Error('store-thread.ts runs as a worker thread (see threaded-store.ts)');
const { filename } = workerData as { filename: string };

let store: SqliteStore;
try {
  store = new SqliteStore(filename);
} catch (err) {
  port.postMessage({ ready: false, error: toThrown(err) } satisfies StoreThreadReady);
  // Nothing more to answer: the caller rejects its open() and stops this thread.
  throw err;
}
const allowed = new Set<string>(STORE_THREAD_METHODS);

port.on('message', (call: StoreCall) => {
  const answer = (a: StoreAnswer) => port.postMessage(a);
  if (!allowed.has(call.method)) {
    answer({ id: call.id, error: toThrown(new Error(`the store thread has no method ${call.method}`)) });
    return;
  }
  const method = (store as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>)[call.method] as (...args: unknown[]) => Promise<unknown>;
  // A method that throws before its promise (none should) is answered as a rejection, not lost.
  new Promise<unknown>((resolve) => resolve(method.apply(store, call.args))).then(
    (value) => answer({ id: call.id, value }),
    (err: unknown) => answer({ id: call.id, error: toThrown(err) }),
  );
});
port.postMessage({ ready: true } satisfies StoreThreadReady);
