/**
 * The local workspace's messages, kept in their own SQLite file (`local-workspace.sqlite` in the
 * data directory) so the page shows the same channels after a restart. This is the "chat platform"
 * side of the local workspace, not the bot's store: the core never reads it.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqliteFile } from '../../src/lib/sqlite-file.js';
import type { LocalChannel, LocalMessage, LocalMessageBody } from './local-api.js';

export const LOCAL_MESSAGES_FILE = 'local-workspace.sqlite';

/** Each entry moves the schema from version i to i + 1. Append only. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE messages (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    id         TEXT NOT NULL UNIQUE,
    channel_id TEXT NOT NULL,
    thread_of  TEXT,
    key        TEXT,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX messages_by_channel ON messages (channel_id, seq);
  CREATE INDEX messages_by_key ON messages (channel_id, key, created_at) WHERE key IS NOT NULL;

  CREATE TABLE direct_channels (
    id   TEXT PRIMARY KEY,
    json TEXT NOT NULL
  ) STRICT;
  `,
];

export const LOCAL_MESSAGES_SCHEMA_VERSION = MIGRATIONS.length;

/** The most a channel listing returns (the newest ones, oldest first). */
export const LIST_LIMIT = 2_000;

interface Row {
  id: string;
  channel_id: string;
  thread_of: string | null;
  key: string | null;
  body: string;
  created_at: string;
  updated_at: string;
}

function toMessage(row: Row): LocalMessage {
  return {
    id: row.id,
    channelId: row.channel_id,
    ...(row.thread_of === null ? {} : { threadOf: row.thread_of }),
    ...(row.key === null ? {} : { key: row.key }),
    body: JSON.parse(row.body) as LocalMessageBody,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface NewLocalMessage {
  channelId: string;
  threadOf?: string | undefined;
  key?: string | undefined;
  body: LocalMessageBody;
  at: Date;
}

/** Synchronous (better-sqlite3): every call is one short statement on a local file. */
export class LocalMessages {
  private readonly db: Database.Database;
  private readonly q: ReturnType<typeof prepare>;

  /** `filename`: a path, or ':memory:' for tests. */
  constructor(filename: string) {
    this.db = openSqliteFile(filename, MIGRATIONS, 'local workspace');
    this.q = prepare(this.db);
  }

  insert(m: NewLocalMessage): LocalMessage {
    const at = m.at.toISOString();
    const id = randomUUID();
    this.q.insert.run(id, m.channelId, m.threadOf ?? null, m.key ?? null, JSON.stringify(m.body), at, at);
    return { id, channelId: m.channelId, ...(m.threadOf === undefined ? {} : { threadOf: m.threadOf }), ...(m.key === undefined ? {} : { key: m.key }), body: m.body, createdAt: at, updatedAt: at };
  }

  /** Replace a message's body; null when there is no such message. */
  updateBody(id: string, body: LocalMessageBody, at: Date): LocalMessage | null {
    const changed = this.q.update.run(JSON.stringify(body), at.toISOString(), id);
    return changed.changes === 0 ? null : this.get(id);
  }

  get(id: string): LocalMessage | null {
    const row = this.q.byId.get(id);
    return row ? toMessage(row) : null;
  }

  /** The first message posted into the channel with this key at or after `since`. */
  findByKey(channelId: string, key: string, since: Date): LocalMessage | null {
    const row = this.q.byKey.get(channelId, key, since.toISOString());
    return row ? toMessage(row) : null;
  }

  /** The channel's messages, thread replies included, oldest first (at most the newest `limit`). */
  listByChannel(channelId: string, limit = LIST_LIMIT): LocalMessage[] {
    return this.q.byChannel.all(channelId, limit).reverse().map(toMessage);
  }

  saveDirectChannel(channel: LocalChannel): void {
    this.q.saveChannel.run(channel.id, JSON.stringify(channel));
  }

  directChannels(): LocalChannel[] {
    return this.q.channels.all().map((r) => JSON.parse(r.json) as LocalChannel);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function prepare(db: Database.Database) {
  const columns = 'id, channel_id, thread_of, key, body, created_at, updated_at';
  return {
    insert: db.prepare<[string, string, string | null, string | null, string, string, string]>(
      `INSERT INTO messages (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[string, string, string]>(`UPDATE messages SET body = ?, updated_at = ? WHERE id = ?`),
    byId: db.prepare<[string], Row>(`SELECT ${columns} FROM messages WHERE id = ?`),
    byKey: db.prepare<[string, string, string], Row>(
      `SELECT ${columns} FROM messages WHERE channel_id = ? AND key = ? AND created_at >= ? ORDER BY seq LIMIT 1`,
    ),
    byChannel: db.prepare<[string, number], Row>(`SELECT ${columns} FROM messages WHERE channel_id = ? ORDER BY seq DESC LIMIT ?`),
    saveChannel: db.prepare<[string, string]>(`INSERT INTO direct_channels (id, json) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json`),
    channels: db.prepare<[], { json: string }>(`SELECT json FROM direct_channels ORDER BY id`),
  };
}
