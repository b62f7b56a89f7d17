import type Database from 'better-sqlite3';
import type { Advisory, AdvisorySeries } from '../../domain/advisory.js';
import type { Acknowledgement, AuditEvent } from '../../domain/audit.js';
import type { ChainTip, StoredChain } from '../../domain/audit-chain.js';
import type { ConversationRecord } from '../../domain/conversation.js';
import { owesWork, type Delivery } from '../../domain/delivery.js';
import type { PhoneTask } from '../../domain/phone-task.js';
import type { MessageRef } from '../../domain/platform.js';
import { BotError } from '../../errors.js';
import { DURABLE_COMMITS, openSqliteFile } from '../../lib/sqlite-file.js';
import type { OwedPage, StepClaim, StepLease, StepRef, Store } from '../../ports/store.js';
import { SqliteAudit } from './sqlite-audit.js';
import { SqliteThreads } from './sqlite-threads.js';
import type { ThreadMessage } from '../../domain/thread-message.js';
import { SqliteArchive } from './sqlite-archive.js';
import type { TranscriptPage, TranscriptQuery } from '../../ports/archive.js';
import type { Transcript } from '../../domain/transcript.js';
import { SQLITE_MIGRATIONS as MIGRATIONS } from './sqlite-migrations.js';
import { CommitGroup } from './commit-group.js';

export { SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqlite-migrations.js';

interface JsonRow {
  json: string;
}

function prepareStatements(db: Database.Database) {
  return {
    nextNumber: db.prepare<[string, number], { n: number }>(
      `INSERT INTO advisory_counters (series, year, n) VALUES (?, ?, 1)
       ON CONFLICT (series, year) DO UPDATE SET n = n + 1
       RETURNING n`,
    ),
    // New advisories start unannounced (the column's default is for rows of earlier releases).
    insertAdvisory: db.prepare<[string, string, string]>(
      `INSERT INTO advisories (id, request_key, json, announced) VALUES (?, ?, ?, 0) ON CONFLICT DO NOTHING`,
    ),
    unannounced: db.prepare<[], JsonRow>(`SELECT json FROM advisories WHERE announced = 0 ORDER BY id`),
    // Moves the version on, so a writer that read the advisory before cannot write it back unannounced.
    markAnnounced: db.prepare<[string, string, string]>(
      `UPDATE advisories
       SET announced = 1,
           json = json_set(json, '$.announced', json(?), '$.version', COALESCE(json_extract(json, '$.version'), 0) + 1)
       WHERE id = ? AND announced = 0 AND json_extract(json, '$.id') = ?`,
    ),
    saveAdvisory: db.prepare<[string, number, string, number]>(
      // The announced column only ever goes from 0 to 1 (older rows lack the JSON field and count as announced).
      `UPDATE advisories SET json = ?, announced = MAX(announced, ?)
       WHERE id = ? AND COALESCE(json_extract(json, '$.version'), 0) = ?`,
    ),
    // Few rows (one per advisory ever issued) and read once per reconciler pass: a scan is cheap.
    advisoriesOwingWork: db.prepare<[], JsonRow>(
      `SELECT json FROM advisories
       WHERE COALESCE(json_extract(json, '$.state'), 'open') = 'open'
          OR json_extract(json, '$.syncing') = 1
          OR (json_extract(json, '$.closure') IS NOT NULL AND json_extract(json, '$.closure.told') IS NULL)
          OR (json_extract(json, '$.state') = 'closed' AND json_extract(json, '$.closure.told') IS NOT NULL
              AND json_extract(json, '$.archived') IS NULL)
       ORDER BY id`,
    ),
    // Few rows (one per advisory ever issued): a scan sorted by issue time is cheap.
    recentAdvisories: db.prepare<[number], JsonRow>(
      `SELECT json FROM advisories ORDER BY json_extract(json, '$.issuedAt') DESC, id DESC LIMIT ?`,
    ),
    // Drills or real advisories only: a list of one kind is never cut short by the other's newer entries.
    recentAdvisoriesOfKind: db.prepare<[number, number], JsonRow>(
      `SELECT json FROM advisories WHERE COALESCE(json_extract(json, '$.drill'), 0) = ?
       ORDER BY json_extract(json, '$.issuedAt') DESC, id DESC LIMIT ?`,
    ),
    countUnacknowledged: db.prepare<[string, number], { n: number }>(
      `SELECT count(*) AS n FROM deliveries INDEXED BY deliveries_by_ack
       WHERE advisory_id = ? AND (ack_state IN ('queued', 'posted', 'failed') OR ack_round < ?)`,
    ),
    // Two seeks into the index, each stopping at its first row (the states are exactly these five).
    anyUnacknowledged: db.prepare<[string, string, number], { any: number }>(
      `SELECT EXISTS (SELECT 1 FROM deliveries INDEXED BY deliveries_by_ack
                      WHERE advisory_id = ? AND ack_state IN ('queued', 'posted', 'failed'))
           OR EXISTS (SELECT 1 FROM deliveries INDEXED BY deliveries_by_ack
                      WHERE advisory_id = ? AND ack_state IN ('acknowledged', 'cancelled') AND ack_round < ?) AS any`,
    ),
    advisoryByRequestKey: db.prepare<[string], JsonRow>(`SELECT json FROM advisories WHERE request_key = ?`),
    advisoryById: db.prepare<[string], JsonRow>(`SELECT json FROM advisories WHERE id = ?`),
    insertDelivery: db.prepare<[string, string, string, string, string, number, string, number]>(
      `INSERT INTO deliveries (id, advisory_id, member_id, platform, channel_id, version, json, owed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    owedDeliveries: db.prepare<[string, number], JsonRow & { id: string }>(
      `SELECT id, json FROM deliveries WHERE owed = 1 AND id > ? ORDER BY id LIMIT ?`,
    ),
    deliveryById: db.prepare<[string], JsonRow>(`SELECT json FROM deliveries WHERE id = ?`),
    deliveriesByAdvisory: db.prepare<[string], JsonRow>(
      `SELECT json FROM deliveries WHERE advisory_id = ? ORDER BY member_id, id`,
    ),
    updateDelivery: db.prepare<[string, string, string, string, number, string, number, string, number]>(
      `UPDATE deliveries
       SET advisory_id = ?, member_id = ?, platform = ?, channel_id = ?, version = ?, json = ?, owed = ?
       WHERE id = ? AND version = ?`,
    ),
    deleteMessages: db.prepare<[string]>(`DELETE FROM delivery_messages WHERE delivery_id = ?`),
    insertMessage: db.prepare<[string, string, string, string]>(
      `INSERT INTO delivery_messages (platform, channel_id, message_id, delivery_id) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    messageOwner: db.prepare<[string, string, string], { delivery_id: string }>(
      `SELECT delivery_id FROM delivery_messages WHERE platform = ? AND channel_id = ? AND message_id = ?`,
    ),
    deliveryByMessage: db.prepare<[string, string, string], JsonRow>(
      `SELECT d.json FROM delivery_messages m JOIN deliveries d ON d.id = m.delivery_id
       WHERE m.platform = ? AND m.channel_id = ? AND m.message_id = ?`,
    ),
    insertAck: db.prepare<[string, number, string, string, string, string]>(
      `INSERT INTO acknowledgements (delivery_id, round, platform, user_id, json, at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    acksByDelivery: db.prepare<[string], JsonRow>(
      `SELECT json FROM acknowledgements WHERE delivery_id = ? ORDER BY at, rowid`,
    ),
    insertStep: db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO escalation_steps (delivery_id, token, step_key, state, claimed_at, owner, lease_until)
       VALUES (?, ?, ?, 'running', ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    stepRow: db.prepare<[string, string, string], { state: 'running' | 'done'; owner: string | null; lease_until: string | null; posted_nothing: number }>(
      `SELECT state, owner, lease_until, posted_nothing FROM escalation_steps WHERE delivery_id = ? AND token = ? AND step_key = ?`,
    ),
    // The new run is in flight: should it stop without a word, its own retry must search.
    takeOverStep: db.prepare<[string, string, string, string, string, string]>(
      `UPDATE escalation_steps SET owner = ?, lease_until = ?, claimed_at = ?, posted_nothing = 0
       WHERE delivery_id = ? AND token = ? AND step_key = ? AND state = 'running'`,
    ),
    releaseStep: db.prepare<[string, number, string, string, string, string]>(
      `UPDATE escalation_steps SET lease_until = ?, posted_nothing = ?
       WHERE delivery_id = ? AND token = ? AND step_key = ? AND owner = ? AND state = 'running'`,
    ),
    insertPostAttempt: db.prepare<[string, string]>(`INSERT INTO post_attempts (key, first_at) VALUES (?, ?) ON CONFLICT DO NOTHING`),
    postAttempt: db.prepare<[string], { posted_nothing: number }>(`SELECT posted_nothing FROM post_attempts WHERE key = ?`),
    // The new attempt is in flight: should it stop without a word, the next must search.
    reopenPostAttempt: db.prepare<[string]>(`UPDATE post_attempts SET posted_nothing = 0 WHERE key = ?`),
    settlePostAttempt: db.prepare<[string]>(`UPDATE post_attempts SET posted_nothing = 1 WHERE key = ?`),
    // The first finish stays: finishing again is a repeat, not news.
    finishStep: db.prepare<[string, string, string, string, string, string]>(
      `INSERT INTO escalation_steps (delivery_id, token, step_key, state, finished_at, owner, outcome)
       VALUES (?, ?, ?, 'done', ?, ?, ?)
       ON CONFLICT (delivery_id, token, step_key)
       DO UPDATE SET state = 'done',
                     finished_at = COALESCE(finished_at, excluded.finished_at),
                     outcome = COALESCE(outcome, excluded.outcome),
                     owner = CASE WHEN state = 'done' THEN owner ELSE excluded.owner END`,
    ),
    insertTask: db.prepare<[string, string, string, string, string, number, string]>(
      `INSERT INTO phone_tasks (id, delivery_id, advisory_id, state, created_at, version, json)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    taskById: db.prepare<[string], JsonRow>(`SELECT json FROM phone_tasks WHERE id = ?`),
    taskByDelivery: db.prepare<[string], JsonRow>(`SELECT json FROM phone_tasks WHERE delivery_id = ?`),
    updateTask: db.prepare<[string, string, string, string, number, string, string, number]>(
      `UPDATE phone_tasks
       SET delivery_id = ?, advisory_id = ?, state = ?, created_at = ?, version = ?, json = ?
       WHERE id = ? AND version = ?`,
    ),
    openTasks: db.prepare<[], JsonRow>(
      `SELECT json FROM phone_tasks WHERE state IN ('open', 'claimed') ORDER BY created_at, id`,
    ),
    tasksByAdvisory: db.prepare<[string], JsonRow>(
      `SELECT json FROM phone_tasks WHERE advisory_id = ? ORDER BY created_at, id`,
    ),
    deleteTaskMessages: db.prepare<[string]>(`DELETE FROM phone_task_messages WHERE task_id = ?`),
    insertTaskMessage: db.prepare<[string, string, string, string]>(
      `INSERT INTO phone_task_messages (platform, channel_id, message_id, task_id) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    taskMessageOwner: db.prepare<[string, string, string], { task_id: string }>(
      `SELECT task_id FROM phone_task_messages WHERE platform = ? AND channel_id = ? AND message_id = ?`,
    ),
    taskByMessage: db.prepare<[string, string, string], JsonRow>(
      `SELECT t.json FROM phone_task_messages m JOIN phone_tasks t ON t.id = m.task_id
       WHERE m.platform = ? AND m.channel_id = ? AND m.message_id = ?`,
    ),
    upsertConversation: db.prepare<[string, string, string, string, string]>(
      `INSERT INTO conversations (platform, conversation_id, tenant_id, updated_at, json) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (platform, conversation_id)
       DO UPDATE SET tenant_id = excluded.tenant_id, updated_at = excluded.updated_at, json = excluded.json`,
    ),
    conversationById: db.prepare<[string, string], JsonRow>(
      `SELECT json FROM conversations WHERE platform = ? AND conversation_id = ?`,
    ),
    latestConversationInTenant: db.prepare<[string, string], JsonRow>(
      `SELECT json FROM conversations WHERE platform = ? AND tenant_id = ?
       ORDER BY updated_at DESC, conversation_id ASC LIMIT 1`,
    ),
  };
}

const ownedFlag = (d: Delivery) => (owesWork(d) ? 1 : 0);

function parse<T>(row: JsonRow | undefined): T | null {
  return row ? (JSON.parse(row.json) as T) : null;
}

/**
 * The embedded store: one SQLite file, used when no MONGODB_URI is configured.
 * better-sqlite3 is synchronous. Every write goes through one CommitGroup (commit-group.ts): it runs at once in a
 * savepoint, and is answered when the turn's one COMMIT has made it durable; reads are answered at once.
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly q: ReturnType<typeof prepareStatements>;
  private readonly audit: SqliteAudit;
  private readonly threads: SqliteThreads;
  private readonly archive: SqliteArchive;
  private readonly group: CommitGroup;

  constructor(filename: string) {
    // Durable commits: a write is on disk before its writer is answered, so an attempt that began survives a power
    // loss, not only a crash of the process. Affordable because commits are grouped: one fsync per turn of the loop,
    // not one per write.
    this.db = openSqliteFile(filename, MIGRATIONS, 'SQLite', ['foreign_keys = ON', DURABLE_COMMITS]);
    this.q = prepareStatements(this.db);
    this.group = new CommitGroup(this.db);
    this.audit = new SqliteAudit(this.db, this.group);
    this.threads = new SqliteThreads(this.db, this.group);
    this.archive = new SqliteArchive(this.db, this.group);
  }

  async nextAdvisoryNumber(year: number, series: AdvisorySeries = 'ADV'): Promise<number> {
    // In the group's IMMEDIATE transaction: the write lock is held, so another process cannot slip in between.
    const row = await this.group.write(() => this.q.nextNumber.get(series, year));
    if (!row) throw new Error(`counter for ${series} ${year} was not returned`);
    return row.n;
  }

  async createAdvisory(advisory: Advisory): Promise<{ advisory: Advisory; created: boolean }> {
    return this.group.write(() => {
        const inserted = this.q.insertAdvisory.run(advisory.id, advisory.requestKey, JSON.stringify(advisory));
        if (inserted.changes === 1) return { advisory, created: true };
        const existing = parse<Advisory>(this.q.advisoryByRequestKey.get(advisory.requestKey));
        if (existing) return { advisory: existing, created: false };
        throw idTaken(advisory);
      });
  }

  async getAdvisory(id: string): Promise<Advisory | null> {
    return parse<Advisory>(this.q.advisoryById.get(id));
  }

  async listUnannouncedAdvisories(): Promise<Advisory[]> {
    return this.q.unannounced.all().map((r) => JSON.parse(r.json) as Advisory);
  }

  async markAnnounced(advisoryId: string, at: string, ok: boolean, messages: MessageRef[] = []): Promise<boolean> {
    const announced = messages.length > 0 ? { at, ok, messages } : { at, ok };
    return this.group.write(() => this.q.markAnnounced.run(JSON.stringify(announced), advisoryId, advisoryId).changes === 1);
  }

  async saveAdvisory(next: Advisory): Promise<boolean> {
    const expected = (next.version ?? 0) - 1;
    return this.group.write(() => this.q.saveAdvisory.run(JSON.stringify(next), next.announced ? 1 : 0, next.id, expected).changes === 1);
  }

  async listAdvisoriesOwingWork(): Promise<Advisory[]> {
    return this.q.advisoriesOwingWork.all().map((r) => JSON.parse(r.json) as Advisory);
  }

  async listRecentAdvisories(limit: number, filter: { drill?: boolean | undefined } = {}): Promise<Advisory[]> {
    const rows = filter.drill === undefined ? this.q.recentAdvisories.all(limit) : this.q.recentAdvisoriesOfKind.all(filter.drill ? 1 : 0, limit);
    return rows.map((r) => JSON.parse(r.json) as Advisory);
  }

  async countUnacknowledged(advisoryId: string, round = 1): Promise<number> {
    return this.q.countUnacknowledged.get(advisoryId, round)?.n ?? 0;
  }

  async anyUnacknowledged(advisoryId: string, round = 1): Promise<boolean> {
    return this.q.anyUnacknowledged.get(advisoryId, advisoryId, round)?.any === 1;
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async ensureDeliveries(deliveries: Delivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.group.write(() => {
        for (const d of deliveries) {
          const r = this.q.insertDelivery.run(
            d.id,
            d.advisoryId,
            d.memberId,
            d.channel.platform,
            d.channel.channelId,
            d.version,
            JSON.stringify(d),
            ownedFlag(d),
          );
          // Only a delivery this call created may claim its messages; an existing one keeps its own.
          if (r.changes === 1) this.insertMessages(d.id, d.messages);
        }
      });
  }

  async getDelivery(id: string): Promise<Delivery | null> {
    return parse<Delivery>(this.q.deliveryById.get(id));
  }

  async listDeliveries(advisoryId: string): Promise<Delivery[]> {
    return this.q.deliveriesByAdvisory.all(advisoryId).map((r) => JSON.parse(r.json) as Delivery);
  }

  async listOwedDeliveries(page: { after?: string | undefined; limit: number }): Promise<OwedPage> {
    const rows = this.q.owedDeliveries.all(page.after ?? '', page.limit);
    const last = rows.at(-1);
    return {
      deliveries: rows.map((r) => JSON.parse(r.json) as Delivery),
      next: rows.length === page.limit && last ? last.id : undefined,
    };
  }

  async saveDelivery(next: Delivery, audit?: AuditEvent): Promise<boolean> {
    return this.group.write(() => {
        const r = this.q.updateDelivery.run(
          next.advisoryId,
          next.memberId,
          next.channel.platform,
          next.channel.channelId,
          next.version,
          JSON.stringify(next),
          ownedFlag(next),
          next.id,
          next.version - 1,
        );
        if (r.changes !== 1) return false;
        this.q.deleteMessages.run(next.id);
        this.insertMessages(next.id, next.messages);
        if (audit) this.audit.appendInTransaction(audit);
        return true;
      });
  }

  /** Runs inside the caller's transaction, so a refusal rolls back the delivery write too. */
  private insertMessages(deliveryId: string, messages: MessageRef[]): void {
    for (const m of messages) {
      if (this.q.insertMessage.run(m.platform, m.channelId, m.messageId, deliveryId).changes === 1) continue;
      const owner = this.q.messageOwner.get(m.platform, m.channelId, m.messageId);
      // The same ref listed twice in one delivery is harmless; a ref owned by another delivery
      // means a button press could be credited to the wrong member.
      if (owner?.delivery_id !== deliveryId) {
        throw new BotError('STORE.CONFLICT', 'message already belongs to another delivery', {
          deliveryId,
          otherDeliveryId: owner?.delivery_id,
          message: m,
        });
      }
    }
  }

  async findDeliveryByMessage(ref: MessageRef): Promise<Delivery | null> {
    return parse<Delivery>(this.q.deliveryByMessage.get(ref.platform, ref.channelId, ref.messageId));
  }

  async addAcknowledgement(ack: Acknowledgement): Promise<boolean> {
    const json = JSON.stringify(ack);
    return this.group.write(() => this.q.insertAck.run(ack.deliveryId, ack.round ?? 1, ack.actor.platform, ack.actor.userId, json, ack.at).changes === 1);
  }

  async listAcknowledgements(deliveryId: string): Promise<Acknowledgement[]> {
    return this.q.acksByDelivery.all(deliveryId).map((r) => JSON.parse(r.json) as Acknowledgement);
  }

  // The archive (transcripts) lives in sqlite-archive.ts.
  saveTranscript(t: Transcript): Promise<void> {
    return this.archive.saveTranscript(t);
  }

  getTranscript(advisoryId: string): Promise<Transcript | null> {
    return this.archive.getTranscript(advisoryId);
  }

  searchTranscripts(q: TranscriptQuery): Promise<TranscriptPage> {
    return this.archive.searchTranscripts(q);
  }

  redactTranscripts(before: string, redact: (t: Transcript) => Transcript): Promise<string[]> {
    return this.archive.redactTranscripts(before, redact);
  }

  deleteTranscripts(before: string): Promise<number> {
    return this.archive.deleteTranscripts(before);
  }

  // The thread log (replies in members' threads) lives in sqlite-threads.ts.
  findDeliveryByFollowUpOrReminder(ref: MessageRef): Promise<Delivery | null> {
    return this.threads.findDeliveryByFollowUpOrReminder(ref);
  }

  addThreadMessage(message: ThreadMessage): Promise<boolean> {
    return this.threads.addThreadMessage(message);
  }

  getThreadMessage(ref: MessageRef): Promise<ThreadMessage | null> {
    return this.threads.getThreadMessage(ref);
  }

  saveThreadMessage(next: ThreadMessage): Promise<boolean> {
    return this.threads.saveThreadMessage(next);
  }

  listThreadMessages(of: { deliveryId: string } | { advisoryId: string }): Promise<ThreadMessage[]> {
    return this.threads.listThreadMessages(of);
  }

  // The audit log (hash chains) lives in sqlite-audit.ts.
  appendAudit(event: AuditEvent): Promise<void> {
    return this.audit.appendAudit(event);
  }

  listAudit(advisoryId: string): Promise<AuditEvent[]> {
    return this.audit.listAudit(advisoryId);
  }

  listAuditChains(): Promise<string[]> {
    return this.audit.listAuditChains();
  }

  readAuditChain(chain: string): Promise<StoredChain> {
    return this.audit.readAuditChain(chain);
  }

  auditChainHead(chain: string): Promise<ChainTip | null> {
    return this.audit.auditChainHead(chain);
  }

  async claimStep(step: StepRef, lease: StepLease): Promise<StepClaim> {
    const { deliveryId, token, key } = step;
    // In the group's IMMEDIATE transaction: another process cannot claim or finish the step between our read and our write.
    return this.group.write((): StepClaim => {
        if (this.q.insertStep.run(deliveryId, token, key, lease.at, lease.owner, lease.until).changes === 1) return { outcome: 'claimed' };
        const row = this.q.stepRow.get(deliveryId, token, key);
        if (!row) throw new Error(`escalation step ${deliveryId}/${token}/${key} was neither inserted nor found`);
        if (row.state === 'done') return { outcome: 'done' };
        const previousOwner = row.owner ?? '(unknown)';
        // Rows of earlier releases have no lease: their claimer is long gone.
        if (row.owner !== lease.owner && row.lease_until !== null && row.lease_until > lease.at) {
          return { outcome: 'busy', owner: previousOwner, until: row.lease_until };
        }
        this.q.takeOverStep.run(lease.owner, lease.until, lease.at, deliveryId, token, key);
        return { outcome: 'taken-over', previousOwner, mayHavePosted: row.posted_nothing !== 1 };
      });
  }

  async beginPost(key: string, at: string): Promise<{ mayHavePosted: boolean }> {
    return this.group.write((): { mayHavePosted: boolean } => {
        if (this.q.insertPostAttempt.run(key, at).changes === 1) return { mayHavePosted: false };
        const settled = this.q.postAttempt.get(key)?.posted_nothing === 1;
        this.q.reopenPostAttempt.run(key);
        return { mayHavePosted: !settled };
      });
  }

  async settlePost(key: string): Promise<void> {
    await this.group.write(() => this.q.settlePostAttempt.run(key));
  }

  async releaseStep(step: StepRef, owner: string, at: string, postedNothing = false): Promise<void> {
    await this.group.write(() => this.q.releaseStep.run(at, postedNothing ? 1 : 0, step.deliveryId, step.token, step.key, owner));
  }

  async finishStep(step: StepRef, finish: { owner: string; at: string; outcome: 'done' | 'gave_up' }): Promise<void> {
    await this.group.write(() => this.q.finishStep.run(step.deliveryId, step.token, step.key, finish.at, finish.owner, finish.outcome));
  }

  async ensurePhoneTask(task: PhoneTask): Promise<PhoneTask> {
    return this.group.write(() => {
        const r = this.q.insertTask.run(
          task.id,
          task.deliveryId,
          task.advisoryId,
          task.state,
          task.createdAt,
          task.version,
          JSON.stringify(task),
        );
        if (r.changes === 1) {
          this.insertTaskMessages(task.id, task.messages);
          return task;
        }
        const existing = parse<PhoneTask>(this.q.taskByDelivery.get(task.deliveryId));
        if (existing) return existing;
        // The id is taken by a task of another delivery: handing that one back would mix up members.
        throw new BotError('STORE.CONFLICT', 'phone task id is already used by another delivery', {
          taskId: task.id,
          deliveryId: task.deliveryId,
        });
      });
  }

  async getPhoneTask(id: string): Promise<PhoneTask | null> {
    return parse<PhoneTask>(this.q.taskById.get(id));
  }

  async savePhoneTask(next: PhoneTask): Promise<boolean> {
    return this.group.write(() => {
        const r = this.q.updateTask.run(
          next.deliveryId,
          next.advisoryId,
          next.state,
          next.createdAt,
          next.version,
          JSON.stringify(next),
          next.id,
          next.version - 1,
        );
        if (r.changes !== 1) return false;
        this.q.deleteTaskMessages.run(next.id);
        this.insertTaskMessages(next.id, next.messages);
        return true;
      });
  }

  /** As insertMessages, for the on-call channels' task messages. */
  private insertTaskMessages(taskId: string, messages: MessageRef[]): void {
    for (const m of messages) {
      if (this.q.insertTaskMessage.run(m.platform, m.channelId, m.messageId, taskId).changes === 1) continue;
      const owner = this.q.taskMessageOwner.get(m.platform, m.channelId, m.messageId);
      if (owner?.task_id !== taskId) {
        throw new BotError('STORE.CONFLICT', 'message already belongs to another phone task', {
          taskId,
          otherTaskId: owner?.task_id,
          message: m,
        });
      }
    }
  }

  async findPhoneTaskByMessage(ref: MessageRef): Promise<PhoneTask | null> {
    return parse<PhoneTask>(this.q.taskByMessage.get(ref.platform, ref.channelId, ref.messageId));
  }

  async listOpenPhoneTasks(): Promise<PhoneTask[]> {
    return this.q.openTasks.all().map((r) => JSON.parse(r.json) as PhoneTask);
  }

  async listPhoneTasks(advisoryId: string): Promise<PhoneTask[]> {
    return this.q.tasksByAdvisory.all(advisoryId).map((r) => JSON.parse(r.json) as PhoneTask);
  }

  async saveConversation(record: ConversationRecord): Promise<void> {
    const json = JSON.stringify(record);
    await this.group.write(() => this.q.upsertConversation.run(record.platform, record.conversationId, record.tenantId, record.updatedAt, json));
  }

  async getConversation(
    platform: ConversationRecord['platform'],
    conversationId: string,
  ): Promise<ConversationRecord | null> {
    return parse<ConversationRecord>(this.q.conversationById.get(platform, conversationId));
  }

  async latestConversationInTenant(
    platform: ConversationRecord['platform'],
    tenantId: string,
  ): Promise<ConversationRecord | null> {
    // Removed conversations count too: their service URL is still the tenant's.
    return parse<ConversationRecord>(this.q.latestConversationInTenant.get(platform, tenantId));
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    // Writes answered later than this would be lost with the connection: commit them first.
    this.group.flush();
    this.db.close();
  }
}

/**
 * The port promises the existing advisory only for the same requestKey. Handing back an
 * unrelated advisory under a reused id would tell the caller its request was already done.
 */
function idTaken(advisory: Advisory): BotError {
  return new BotError('STORE.CONFLICT', 'advisory id is already used by another request', {
    advisoryId: advisory.id,
  });
}
