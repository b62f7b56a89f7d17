import type Database from 'better-sqlite3';
import type { Delivery } from '../../domain/delivery.js';
import type { MessageRef } from '../../domain/platform.js';
import type { ThreadMessage } from '../../domain/thread-message.js';
import type { ThreadLog } from '../../ports/thread-log.js';
import type { CommitGroup } from './commit-group.js';

interface JsonRow {
  json: string;
}

function prepareStatements(db: Database.Database) {
  return {
    insert: db.prepare<[string, string, string, string, string, string, string, string, string]>(
      `INSERT INTO thread_messages (platform, channel_id, message_id, root_id, delivery_id, advisory_id, member_id, at, json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
    get: db.prepare<[string, string, string], JsonRow>(
      `SELECT json FROM thread_messages WHERE platform = ? AND channel_id = ? AND message_id = ?`,
    ),
    // The keys never change; only the record's JSON does, and only from the version it was read at.
    save: db.prepare<[string, string, string, string, number]>(
      `UPDATE thread_messages SET json = ?
       WHERE platform = ? AND channel_id = ? AND message_id = ? AND json_extract(json, '$.version') = ?`,
    ),
    byDelivery: db.prepare<[string], JsonRow>(
      `SELECT json FROM thread_messages WHERE delivery_id = ? ORDER BY at, message_id`,
    ),
    byAdvisory: db.prepare<[string], JsonRow>(
      `SELECT json FROM thread_messages WHERE advisory_id = ? ORDER BY at, message_id`,
    ),
    // Reminders and follow-ups go where the delivery's copies are (the channel, or the contacts'
    // direct messages), so the deliveries with a copy in this channel (delivery_messages' key
    // prefix: one per advisory ever sent there) are the only ones to look through.
    byFollowUpOrReminder: db.prepare<[{ platform: string; channel: string; message: string }], JsonRow>(
      `SELECT d.json FROM deliveries d
       WHERE d.id IN (SELECT delivery_id FROM delivery_messages WHERE platform = @platform AND channel_id = @channel)
         AND (EXISTS (SELECT 1 FROM json_each(d.json, '$.reminders') r
                      WHERE json_extract(r.value, '$.platform') = @platform AND json_extract(r.value, '$.channelId') = @channel
                        AND json_extract(r.value, '$.messageId') = @message)
           OR EXISTS (SELECT 1 FROM json_each(d.json, '$.followups') f, json_each(f.value, '$.messages') fm
                      WHERE json_extract(fm.value, '$.platform') = @platform AND json_extract(fm.value, '$.channelId') = @channel
                        AND json_extract(fm.value, '$.messageId') = @message))
       ORDER BY d.id
       LIMIT 1`,
    ),
  };
}

/** The thread log of the embedded store (table thread_messages, migration 6). */
export class SqliteThreads implements ThreadLog {
  private readonly q: ReturnType<typeof prepareStatements>;

  constructor(
    db: Database.Database,
    private readonly group: CommitGroup,
  ) {
    this.q = prepareStatements(db);
  }

  async findDeliveryByFollowUpOrReminder(ref: MessageRef): Promise<Delivery | null> {
    const row = this.q.byFollowUpOrReminder.get({ platform: ref.platform, channel: ref.channelId, message: ref.messageId });
    return row ? (JSON.parse(row.json) as Delivery) : null;
  }

  async addThreadMessage(m: ThreadMessage): Promise<boolean> {
    const json = JSON.stringify(m);
    return this.group.write(() => this.q.insert.run(m.platform, m.channelId, m.messageId, m.rootId, m.deliveryId, m.advisoryId, m.memberId, m.at, json).changes === 1);
  }

  async getThreadMessage(ref: MessageRef): Promise<ThreadMessage | null> {
    const row = this.q.get.get(ref.platform, ref.channelId, ref.messageId);
    return row ? (JSON.parse(row.json) as ThreadMessage) : null;
  }

  async saveThreadMessage(next: ThreadMessage): Promise<boolean> {
    const json = JSON.stringify(next);
    return this.group.write(() => this.q.save.run(json, next.platform, next.channelId, next.messageId, next.version - 1).changes === 1);
  }

  async listThreadMessages(of: { deliveryId: string } | { advisoryId: string }): Promise<ThreadMessage[]> {
    const rows = 'deliveryId' in of ? this.q.byDelivery.all(of.deliveryId) : this.q.byAdvisory.all(of.advisoryId);
    return rows.map((r) => JSON.parse(r.json) as ThreadMessage);
  }
}
