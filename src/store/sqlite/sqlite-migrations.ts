import { ARCHIVE_MIGRATION } from './sqlite-archive.js';

/**
 * The embedded store's schema (the database's user_version says how many entries ran; tests build
 * files as an older release left them from the first entries). Each entry moves the schema from version i to i + 1. Append only: a database that has run
 * migration i must never see it change, so fixes go into a new entry.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE advisories (
    id          TEXT PRIMARY KEY,
    request_key TEXT NOT NULL UNIQUE,
    json        TEXT NOT NULL
  ) STRICT;

  CREATE TABLE counters (
    year INTEGER PRIMARY KEY,
    n    INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE deliveries (
    id          TEXT PRIMARY KEY,
    advisory_id TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    json        TEXT NOT NULL,
    UNIQUE (advisory_id, member_id, platform, channel_id)
  ) STRICT;

  CREATE TABLE delivery_messages (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id),
    PRIMARY KEY (platform, channel_id, message_id)
  ) STRICT;
  CREATE INDEX delivery_messages_by_delivery ON delivery_messages (delivery_id);

  CREATE TABLE acknowledgements (
    delivery_id TEXT NOT NULL,
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    json        TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (delivery_id, platform, user_id)
  ) STRICT;

  CREATE TABLE audit (
    id          TEXT PRIMARY KEY,
    advisory_id TEXT,
    at          TEXT NOT NULL,
    json        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX audit_by_advisory ON audit (advisory_id, at);
  `,
  `
  CREATE TABLE escalation_steps (
    delivery_id TEXT NOT NULL,
    token       TEXT NOT NULL,
    step_key    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('running', 'done')),
    claimed_at  TEXT,
    finished_at TEXT,
    PRIMARY KEY (delivery_id, token, step_key)
  ) STRICT;

  CREATE TABLE phone_tasks (
    id          TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL UNIQUE,
    advisory_id TEXT NOT NULL,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    json        TEXT NOT NULL
  ) STRICT;
  CREATE INDEX phone_tasks_by_state ON phone_tasks (state, created_at, id);
  CREATE INDEX phone_tasks_by_advisory ON phone_tasks (advisory_id, created_at, id);

  CREATE TABLE phone_task_messages (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    task_id     TEXT NOT NULL REFERENCES phone_tasks (id),
    PRIMARY KEY (platform, channel_id, message_id)
  ) STRICT;
  CREATE INDEX phone_task_messages_by_task ON phone_task_messages (task_id);
  `,
  `
  CREATE TABLE conversations (
    platform        TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    tenant_id       TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    json            TEXT NOT NULL,
    PRIMARY KEY (platform, conversation_id)
  ) STRICT;
  CREATE INDEX conversations_by_tenant ON conversations (platform, tenant_id, updated_at);
  `,
  // The store becomes the source of the queue's work: what each delivery still owes is indexed, the
  // step ledger gets a lease, and the "issued" notice is recorded. Rows written by earlier releases
  // are marked owed unless plainly finished; the reconciler works out the rest.
  `
  ALTER TABLE deliveries ADD COLUMN owed INTEGER NOT NULL DEFAULT 0;
  UPDATE deliveries SET owed = 1
   WHERE json_extract(json, '$.state') = 'queued'
      OR (json_extract(json, '$.state') IN ('posted', 'failed')
          AND COALESCE(json_extract(json, '$.ladder.kind'), '') <> 'alert');
  CREATE INDEX deliveries_owed ON deliveries (id) WHERE owed = 1;

  ALTER TABLE escalation_steps ADD COLUMN owner TEXT;
  ALTER TABLE escalation_steps ADD COLUMN lease_until TEXT;
  ALTER TABLE escalation_steps ADD COLUMN outcome TEXT;

  ALTER TABLE advisories ADD COLUMN announced INTEGER NOT NULL DEFAULT 1;
  CREATE INDEX advisories_unannounced ON advisories (id) WHERE announced = 0;
  `,
  // The audit log becomes hash chains (src/domain/audit-chain.ts): each event gets its chain (the
  // advisory, or '(none)'), its place, the previous link's hash and its own; audit_heads keeps each
  // chain's last link, so deleting the events at the end shows. SQL has no SHA-256, so the events
  // already stored are chained by a first pass in code (SqliteAudit, at the next open, in one
  // IMMEDIATE transaction): audit_chain_backfill records up to which row it may chain. Rows written
  // later without a link (an older process still running, or someone writing around the bot) are
  // left unchained and reported by verification.
  `
  ALTER TABLE audit ADD COLUMN chain TEXT;
  ALTER TABLE audit ADD COLUMN seq INTEGER;
  ALTER TABLE audit ADD COLUMN prev TEXT;
  ALTER TABLE audit ADD COLUMN hash TEXT;
  CREATE UNIQUE INDEX audit_chain_seq ON audit (chain, seq);
  CREATE INDEX audit_unchained ON audit (advisory_id) WHERE seq IS NULL;

  CREATE TABLE audit_heads (
    chain    TEXT PRIMARY KEY,
    seq      INTEGER NOT NULL,
    hash     TEXT NOT NULL,
    event_id TEXT NOT NULL
  ) STRICT;

  CREATE TABLE audit_chain_backfill (
    upto INTEGER NOT NULL
  ) STRICT;
  INSERT INTO audit_chain_backfill (upto) SELECT COALESCE(MAX(rowid), 0) FROM audit;
  `,
  // Replies in a delivery's thread (src/domain/thread-message.ts): one row per platform message,
  // its edits and deletion in the JSON, found by the delivery or the advisory in thread order.
  `
  CREATE TABLE thread_messages (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    message_id  TEXT NOT NULL,
    root_id     TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    advisory_id TEXT NOT NULL,
    member_id   TEXT NOT NULL,
    at          TEXT NOT NULL,
    json        TEXT NOT NULL,
    PRIMARY KEY (platform, channel_id, message_id)
  ) STRICT;
  CREATE INDEX thread_messages_by_delivery ON thread_messages (delivery_id, at, message_id);
  CREATE INDEX thread_messages_by_advisory ON thread_messages (advisory_id, at, message_id);
  `,
  // The archive: one transcript per ended advisory (src/domain/transcript.ts), searchable by issue time,
  // classification and member (sqlite-archive.ts).
  ARCHIVE_MIGRATION,
  // Acknowledgement rounds: one record per person per round of a delivery (a follow-up may ask again).
  // Rebuilt in insertion order, so listing by (at, rowid) reads as before.
  `
  CREATE TABLE acknowledgements_by_round (
    delivery_id TEXT NOT NULL,
    round       INTEGER NOT NULL,
    platform    TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    json        TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (delivery_id, round, platform, user_id)
  ) STRICT;
  INSERT INTO acknowledgements_by_round (delivery_id, round, platform, user_id, json, at)
    SELECT delivery_id, 1, platform, user_id, json, at FROM acknowledgements ORDER BY rowid;
  DROP TABLE acknowledgements;
  ALTER TABLE acknowledgements_by_round RENAME TO acknowledgements;
  `,
  // "Has everyone acknowledged?" is asked at every acknowledgement: it parsed the JSON of every delivery of the
  // advisory each time (1,800 rows per press, the presses' main cost). The state and round become generated columns,
  // indexed with the advisory, so the count reads the index alone.
  `
  ALTER TABLE deliveries ADD COLUMN ack_state TEXT GENERATED ALWAYS AS (json_extract(json, '$.state')) VIRTUAL;
  ALTER TABLE deliveries ADD COLUMN ack_round INTEGER GENERATED ALWAYS AS (COALESCE(json_extract(json, '$.round'), 1)) VIRTUAL;
  CREATE INDEX deliveries_by_ack ON deliveries (advisory_id, ack_state, ack_round);
  `,
  // A step's run released after a failure that proves it posted nothing (a 429 before its first post): its retry
  // posts at once instead of searching the channel's history (limited to about 50 a minute on Slack).
  `
  ALTER TABLE escalation_steps ADD COLUMN posted_nothing INTEGER NOT NULL DEFAULT 0;
  `,
  // Posts no other record tracks (notices, follow-ups): whether an attempt may have reached the platform, so a
  // retry searches only then (Store.beginPost / settlePost).
  `
  CREATE TABLE post_attempts (
    key            TEXT PRIMARY KEY,
    first_at       TEXT NOT NULL,
    posted_nothing INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  `,
  // Drills are numbered apart (DRL-2026-0003 beside ADV-2026-0042): the counter is kept per series and year. The real
  // advisories' counts so far become the ADV series' rows, so numbering goes on where it was.
  `
  CREATE TABLE advisory_counters (
    series TEXT NOT NULL,
    year   INTEGER NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (series, year)
  ) STRICT;
  INSERT INTO advisory_counters (series, year, n) SELECT 'ADV', year, n FROM counters;
  DROP TABLE counters;
  `,
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;
