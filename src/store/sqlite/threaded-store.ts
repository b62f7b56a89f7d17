import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Transcript } from '../../domain/transcript.js';
import type { Store } from '../../ports/store.js';
import { fromThrown, type StoreAnswer, type StoreCall, type StoreThreadReady } from './thread-protocol.js';

type Args<K extends keyof Store> = Parameters<Store[K]>;
type Result<K extends keyof Store> = ReturnType<Store[K]>;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * Run from source (the `.ts` next to this file, under tsx or vitest), a worker thread does not inherit the loader that
 * reads TypeScript: this boot script registers tsx's in the thread first. Built, the `.js` entry starts directly.
 */
const TS_BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((api) => { api.register(); return import(workerData.entry); });
`;

function startThread(filename: string): Worker {
  const here = fileURLToPath(import.meta.url);
  const ext = path.extname(here);
  const entry = new URL(`./store-thread${ext}`, import.meta.url);
  if (ext !== '.ts') return new Worker(entry, { workerData: { filename } });
  return new Worker(TS_BOOT, { eval: true, workerData: { filename, entry: entry.href, tsx: import.meta.resolve('tsx/esm/api') } });
}

/**
 * The embedded store (SqliteStore) in a thread of its own (store-thread.ts), behind the same port. What it buys: the
 * store's statements, its JSON and, above all, the fsync of every COMMIT (`synchronous = FULL`) no longer stop the
 * bot's event loop; measured in docs/BENCHMARKS.md. What stays as it was: each call is answered after the thread's
 * SqliteStore answered it, so a write is answered only once committed (the commit group groups the calls that reach
 * the thread in one turn of its loop); calls are run in the order they were made.
 *
 * Should the thread stop (it never should: its errors are answers), every call in flight and every later call
 * rejects with why, and ping() with it, so that readiness says the store is down rather than calls hanging.
 */
export class ThreadedSqliteStore implements Store {
  readonly #thread: Worker;
  readonly #pending = new Map<number, Pending>();
  #nextId = 1;
  #stopped: Error | null = null;

  private constructor(thread: Worker) {
    this.#thread = thread;
    thread.on('message', (answer: StoreAnswer) => {
      const pending = this.#pending.get(answer.id);
      if (!pending) return;
      this.#pending.delete(answer.id);
      if ('error' in answer) pending.reject(fromThrown(answer.error));
      else pending.resolve(answer.value);
    });
    thread.on('error', (err) => this.#stop(err));
    thread.on('exit', (code) => this.#stop(new Error(`the store thread stopped (exit code ${code})`)));
  }

  /** Open the file in a new thread: resolves once it is open and migrated, rejects with the reason it cannot be. */
  static async open(filename: string): Promise<ThreadedSqliteStore> {
    const thread = startThread(filename);
    let onMessage: (m: StoreThreadReady) => void = () => undefined;
    let onError: (err: Error) => void = () => undefined;
    let onExit: (code: number) => void = () => undefined;
    const ready = await new Promise<StoreThreadReady>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`the store thread stopped before it was ready (exit code ${code})`));
      thread.once('message', onMessage).once('error', onError).once('exit', onExit);
    })
      .catch(async (err: unknown) => {
        await thread.terminate();
        throw err;
      })
      // Only these: the Worker keeps listeners of its own (removeAllListeners would stop its messages).
      .finally(() => thread.off('message', onMessage).off('error', onError).off('exit', onExit));
    if (!ready.ready) {
      await thread.terminate();
      throw fromThrown(ready.error);
    }
    return new ThreadedSqliteStore(thread);
  }

  #stop(err: Error): void {
    this.#stopped ??= err;
    for (const pending of this.#pending.values()) pending.reject(this.#stopped);
    this.#pending.clear();
  }

  #call<K extends keyof Store>(method: K | 'redactableTranscripts' | 'replaceTranscripts', args: unknown[]): Result<K> {
    if (this.#stopped) return Promise.reject(this.#stopped) as Result<K>;
    const id = this.#nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#thread.postMessage({ id, method, args } satisfies StoreCall);
      } catch (err) {
        // An argument that cannot be cloned (a function, say): this call fails, the thread goes on.
        this.#pending.delete(id);
        reject(err);
      }
    }) as Result<K>;
  }

  ping(...a: Args<'ping'>) { return this.#call('ping', a); }
  nextAdvisoryNumber(...a: Args<'nextAdvisoryNumber'>) { return this.#call('nextAdvisoryNumber', a); }
  createAdvisory(...a: Args<'createAdvisory'>) { return this.#call('createAdvisory', a); }
  getAdvisory(...a: Args<'getAdvisory'>) { return this.#call('getAdvisory', a); }
  listUnannouncedAdvisories(...a: Args<'listUnannouncedAdvisories'>) { return this.#call('listUnannouncedAdvisories', a); }
  markAnnounced(...a: Args<'markAnnounced'>) { return this.#call('markAnnounced', a); }
  saveAdvisory(...a: Args<'saveAdvisory'>) { return this.#call('saveAdvisory', a); }
  listAdvisoriesOwingWork(...a: Args<'listAdvisoriesOwingWork'>) { return this.#call('listAdvisoriesOwingWork', a); }
  listRecentAdvisories(...a: Args<'listRecentAdvisories'>) { return this.#call('listRecentAdvisories', a); }
  countUnacknowledged(...a: Args<'countUnacknowledged'>) { return this.#call('countUnacknowledged', a); }
  anyUnacknowledged(...a: Args<'anyUnacknowledged'>) { return this.#call('anyUnacknowledged', a); }
  ensureDeliveries(...a: Args<'ensureDeliveries'>) { return this.#call('ensureDeliveries', a); }
  getDelivery(...a: Args<'getDelivery'>) { return this.#call('getDelivery', a); }
  listDeliveries(...a: Args<'listDeliveries'>) { return this.#call('listDeliveries', a); }
  saveDelivery(...a: Args<'saveDelivery'>) { return this.#call('saveDelivery', a); }
  listOwedDeliveries(...a: Args<'listOwedDeliveries'>) { return this.#call('listOwedDeliveries', a); }
  findDeliveryByMessage(...a: Args<'findDeliveryByMessage'>) { return this.#call('findDeliveryByMessage', a); }
  addAcknowledgement(...a: Args<'addAcknowledgement'>) { return this.#call('addAcknowledgement', a); }
  listAcknowledgements(...a: Args<'listAcknowledgements'>) { return this.#call('listAcknowledgements', a); }
  claimStep(...a: Args<'claimStep'>) { return this.#call('claimStep', a); }
  releaseStep(...a: Args<'releaseStep'>) { return this.#call('releaseStep', a); }
  finishStep(...a: Args<'finishStep'>) { return this.#call('finishStep', a); }
  beginPost(...a: Args<'beginPost'>) { return this.#call('beginPost', a); }
  settlePost(...a: Args<'settlePost'>) { return this.#call('settlePost', a); }
  ensurePhoneTask(...a: Args<'ensurePhoneTask'>) { return this.#call('ensurePhoneTask', a); }
  getPhoneTask(...a: Args<'getPhoneTask'>) { return this.#call('getPhoneTask', a); }
  savePhoneTask(...a: Args<'savePhoneTask'>) { return this.#call('savePhoneTask', a); }
  findPhoneTaskByMessage(...a: Args<'findPhoneTaskByMessage'>) { return this.#call('findPhoneTaskByMessage', a); }
  listOpenPhoneTasks(...a: Args<'listOpenPhoneTasks'>) { return this.#call('listOpenPhoneTasks', a); }
  listPhoneTasks(...a: Args<'listPhoneTasks'>) { return this.#call('listPhoneTasks', a); }
  saveConversation(...a: Args<'saveConversation'>) { return this.#call('saveConversation', a); }
  getConversation(...a: Args<'getConversation'>) { return this.#call('getConversation', a); }
  latestConversationInTenant(...a: Args<'latestConversationInTenant'>) { return this.#call('latestConversationInTenant', a); }
  saveTranscript(...a: Args<'saveTranscript'>) { return this.#call('saveTranscript', a); }
  getTranscript(...a: Args<'getTranscript'>) { return this.#call('getTranscript', a); }
  searchTranscripts(...a: Args<'searchTranscripts'>) { return this.#call('searchTranscripts', a); }
  deleteTranscripts(...a: Args<'deleteTranscripts'>) { return this.#call('deleteTranscripts', a); }
  appendAudit(...a: Args<'appendAudit'>) { return this.#call('appendAudit', a); }
  listAudit(...a: Args<'listAudit'>) { return this.#call('listAudit', a); }
  listAuditChains(...a: Args<'listAuditChains'>) { return this.#call('listAuditChains', a); }
  readAuditChain(...a: Args<'readAuditChain'>) { return this.#call('readAuditChain', a); }
  auditChainHead(...a: Args<'auditChainHead'>) { return this.#call('auditChainHead', a); }
  findDeliveryByFollowUpOrReminder(...a: Args<'findDeliveryByFollowUpOrReminder'>) { return this.#call('findDeliveryByFollowUpOrReminder', a); }
  addThreadMessage(...a: Args<'addThreadMessage'>) { return this.#call('addThreadMessage', a); }
  getThreadMessage(...a: Args<'getThreadMessage'>) { return this.#call('getThreadMessage', a); }
  saveThreadMessage(...a: Args<'saveThreadMessage'>) { return this.#call('saveThreadMessage', a); }
  listThreadMessages(...a: Args<'listThreadMessages'>) { return this.#call('listThreadMessages', a); }

  /**
   * `redact` cannot cross into the thread: the transcripts come out to be redacted here, and go back each written
   * only if it is still as it was read (SqliteArchive.replaceTranscripts).
   */
  async redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]> {
    const found = (await this.#call('redactableTranscripts', [before])) as unknown as { was: string; transcript: Transcript }[];
    if (found.length === 0) return [];
    const replacements = found.map((f) => ({ was: f.was, now: redact(f.transcript) }));
    return (await this.#call('replaceTranscripts', [replacements])) as unknown as string[];
  }

  /** Commits what the thread holds and closes the file, then ends the thread. Safe to call twice. */
  async close(): Promise<void> {
    if (!this.#stopped) await this.#call('close', []);
    this.#stop(new Error('the store is closed'));
    await this.#thread.terminate();
  }
}
