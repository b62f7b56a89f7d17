import { ObjectId } from 'mongodb';
import type { Collection, Db, Document, Filter } from 'mongodb';
import type { AuditEvent } from '../../domain/audit.js';
import {
  appendBase,
  chainOf,
  NO_ADVISORY_CHAIN,
  nextLink,
  normaliseEvent,
  type ChainLink,
  type ChainPosition,
  type ChainTip,
  type StoredChain,
} from '../../domain/audit-chain.js';
import { BotError } from '../../errors.js';
import type { AuditLog } from '../../ports/audit-log.js';
import { ChainLines, type Line } from './chain-lines.js';
import { isDuplicateKey } from './mongo-errors.js';

/**
 * An audit event as stored: the event's own fields, `_id` = its id (so the same event is stored
 * once, however many times and however concurrently it is appended), `seq` (an ObjectId, from
 * earlier releases: orders events of one time for listAudit), and its `link`. Events stored before
 * chains existed lack `link` until the first pass chains them.
 */
export type AuditDoc = AuditEvent & { _id: string; seq: ObjectId; link?: ChainPosition };
/** A chain's head record: its last link, kept apart so that deleting the last events shows. */
export interface HeadDoc {
  _id: string;
  seq: number;
  hash: string;
  eventId: string;
}
/** `backfill`: up to which event the first pass may chain the events of earlier releases, and whether it is done. */
interface MetaDoc {
  _id: 'backfill';
  upto: ObjectId;
  done: boolean;
}

const EVENT_FIELDS = { _id: 0, seq: 0, link: 0 } as const;
/** One insertMany: far inside MongoDB's limits for events of a few hundred bytes. */
const MAX_BATCH = 500;
/**
 * Rounds lost to other processes before an append gives up (STORE.CONFLICT; the command is retried
 * and finds its event if it was stored after all). Each lost round means another process stored a
 * whole batch, so this is only reached by a chain appended to by very many processes at once.
 */
const MAX_ROUNDS = 50;
/** Verification reads a whole chain: allow it longer than an interactive read. */
const VERIFY_MAX_TIME_MS = 120_000;

/** The events of a chain that have no link. Equality with null also matches a missing advisoryId: the events of no advisory. */
function unchainedOf(chain: string): Filter<AuditDoc> {
  const filter: Document = { link: { $exists: false }, advisoryId: chain === NO_ADVISORY_CHAIN ? null : chain };
  return filter as Filter<AuditDoc>;
}

const tipOf = (link: ChainLink): ChainTip => ({ seq: link.seq, hash: link.hash, eventId: link.event.id });

function eventOf(doc: AuditDoc): AuditEvent {
  const { _id: _id, seq: _seq, link: _link, ...event } = doc;
  return event as AuditEvent;
}

/**
 * The audit log of the MongoDB store. An append goes into its chain's line in this process
 * (chain-lines.ts), which commits what is waiting as one ordered insertMany of linked events. The
 * unique index on (link.chain, link.seq) is what keeps two processes from taking the same place:
 * the loser's insert is refused with a duplicate key, it reads which of its events are stored (its
 * own earlier in the batch, or the same event by someone else) and where the chain ends now, and
 * links the rest again. Then the head record moves forward (only forward). A process that dies
 * between the insert and the head leaves the head behind the links: verification reports those
 * links as not yet anchored, and the next append to the chain moves the head past them.
 */
export class MongoAudit implements AuditLog {
  private readonly audit: Collection<AuditDoc>;
  private readonly heads: Collection<HeadDoc>;
  private readonly meta: Collection<MetaDoc>;
  private readonly lines = new ChainLines<AuditEvent, ChainTip>((chain, events, line) => this.commit(chain, events, line), MAX_BATCH);

  constructor(
    db: Db,
    private readonly maxTimeMs: number,
  ) {
    this.audit = db.collection<AuditDoc>('audit');
    this.heads = db.collection<HeadDoc>('audit_heads');
    this.meta = db.collection<MetaDoc>('audit_meta');
  }

  /** Indexes, then the first pass over events of earlier releases. Idempotent; safe in two processes at once. */
  async prepare(): Promise<void> {
    await Promise.all([
      this.audit.createIndex({ advisoryId: 1, at: 1, seq: 1 }, { name: 'advisory_at' }),
      // Partial: events of earlier releases have no link until the first pass, and must not all
      // collide on a missing (chain, seq).
      this.audit.createIndex(
        { 'link.chain': 1, 'link.seq': 1 },
        { unique: true, name: 'link_chain_seq_unique', partialFilterExpression: { 'link.seq': { $exists: true } } },
      ),
    ]);
    await this.chainEarlierEvents();
  }

  /**
   * The first start of this release marks how far the events of earlier releases go (an ObjectId
   * taken now: their `seq`s are older) and chains them, each advisory's in the order listAudit
   * showed them. Events written later without a link (an older process still running, or someone
   * writing around the bot) stay unchained and are reported by verification. Two processes may do
   * this at once: each event is linked only if it has no link yet, and a place taken by the other
   * is read again, as in an append.
   */
  private async chainEarlierEvents(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.meta.updateOne({ _id: 'backfill' }, { $setOnInsert: { upto: new ObjectId(), done: false } }, { upsert: true });
        break;
      } catch (err) {
        // Two first starts at once can race on the _id; the loser's retry matches the winner's.
        if (attempt >= 3 || !isDuplicateKey(err)) throw err;
      }
    }
    const marker = await this.meta.findOne({ _id: 'backfill' }, { maxTimeMS: this.maxTimeMs });
    // Gone between the two calls (someone deleted it): chain nothing now. The events stay unchained,
    // which verification reports; nothing is hidden, and the next start tries again.
    if (!marker) return;
    if (marker.done) return;
    const earlier = this.audit.find({ link: { $exists: false }, seq: { $lte: marker.upto } } as Filter<AuditDoc>, {
      sort: { advisoryId: 1, at: 1, seq: 1 },
      maxTimeMS: VERIFY_MAX_TIME_MS,
    });
    const tips = new Map<string, ChainTip | null>();
    for await (const doc of earlier) {
      const event = eventOf(doc);
      const chain = chainOf(event);
      tips.set(chain, await this.linkStored(chain, doc._id, event, tips.get(chain) ?? null));
    }
    await Promise.all([...tips].map(([chain, tip]) => (tip ? this.moveHead(chain, tip) : Promise.resolve())));
    await this.meta.updateOne({ _id: 'backfill' }, { $set: { done: true } });
  }

  /** Give a stored event without a link its place at the end of its chain; returns the chain's end after it. */
  private async linkStored(chain: string, id: string, event: AuditEvent, known: ChainTip | null): Promise<ChainTip | null> {
    let tip = known;
    for (let round = 1; round <= MAX_ROUNDS; round++) {
      const link = nextLink(chain, tip ?? (await this.base(chain)), event);
      try {
        const r = await this.audit.updateOne({ _id: id, link: { $exists: false } } as Filter<AuditDoc>, {
          $set: { link: { chain, seq: link.seq, prev: link.prev, hash: link.hash } },
        });
        // Nothing matched: another process linked it first.
        return r.matchedCount === 1 ? tipOf(link) : null;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        tip = null;
      }
    }
    throw new BotError('STORE.CONFLICT', 'audit chain kept moving while linking earlier events', { chain, eventId: id });
  }

  /** Where the next link goes: the later of the head record and the last link (appendBase). */
  private async base(chain: string): Promise<ChainTip | null> {
    const [head, last] = await Promise.all([this.headRecord(chain), this.lastLink(chain)]);
    return appendBase(head, last);
  }

  private async headRecord(chain: string): Promise<ChainTip | null> {
    const doc = await this.heads.findOne({ _id: chain }, { maxTimeMS: this.maxTimeMs });
    return doc ? { seq: doc.seq, hash: doc.hash, eventId: doc.eventId } : null;
  }

  private async lastLink(chain: string): Promise<ChainTip | null> {
    const doc = await this.audit.findOne(
      { 'link.chain': chain } as Filter<AuditDoc>,
      { sort: { 'link.seq': -1 }, projection: { _id: 1, link: 1 }, maxTimeMS: this.maxTimeMs },
    );
    return doc?.link ? { seq: doc.link.seq, hash: doc.link.hash, eventId: doc._id } : null;
  }

  /** Forward only: a head already at or past `tip` stays (the upsert then collides on _id, which is the answer). */
  private async moveHead(chain: string, tip: ChainTip): Promise<void> {
    try {
      await this.heads.updateOne(
        { _id: chain, seq: { $lt: tip.seq } },
        { $set: { seq: tip.seq, hash: tip.hash, eventId: tip.eventId } },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  appendAudit(event: AuditEvent): Promise<void> {
    const stored = normaliseEvent(event);
    return this.lines.add(chainOf(stored), stored);
  }

  /** One batch of one chain: link, insert in order; on a lost place, drop what is stored and go again. */
  private async commit(chain: string, events: AuditEvent[], line: Line<ChainTip>): Promise<void> {
    // The same event twice in one batch is stored once.
    let pending = [...new Map(events.map((e) => [e.id, e])).values()];
    let end: ChainTip | null = null;
    for (let round = 1; pending.length > 0; round++) {
      if (round > MAX_ROUNDS) {
        throw new BotError('STORE.CONFLICT', 'audit chain kept moving under concurrent appends', { chain, rounds: MAX_ROUNDS });
      }
      const links: ChainLink[] = [];
      let tip = line.tip ?? (await this.base(chain));
      for (const event of pending) {
        const link = nextLink(chain, tip, event);
        links.push(link);
        tip = tipOf(link);
      }
      try {
        await this.audit.insertMany(
          links.map((l) => ({ ...l.event, _id: l.event.id, seq: new ObjectId(), link: { chain, seq: l.seq, prev: l.prev, hash: l.hash } })),
          { ordered: true },
        );
        line.tip = tip;
        end = tip;
        break;
      } catch (err) {
        line.tip = null;
        if (!isDuplicateKey(err)) throw err;
      }
      // Refused on a duplicate: a place another process took, or an event already stored (ours,
      // earlier in this batch, or the same event by someone else). Keep only what is not stored.
      const stored = await this.audit
        .find({ _id: { $in: pending.map((e) => e.id) } }, { projection: { _id: 1 }, maxTimeMS: this.maxTimeMs })
        .toArray();
      const done = new Set(stored.map((d) => d._id));
      pending = pending.filter((e) => !done.has(e.id));
    }
    // Everything was stored by someone: the head moves to wherever the chain ends now.
    const last = end ?? (await this.lastLink(chain));
    if (last) await this.moveHead(chain, last);
  }

  async listAudit(advisoryId: string): Promise<AuditEvent[]> {
    return this.audit
      .find<AuditEvent>({ advisoryId }, { projection: EVENT_FIELDS, sort: { at: 1, seq: 1 }, maxTimeMS: this.maxTimeMs })
      .toArray();
  }

  async listAuditChains(): Promise<string[]> {
    const unchainedFilter = { link: { $exists: false } } as Filter<AuditDoc>;
    const [linked, headed, unchained, unchainedNone] = await Promise.all([
      this.audit.distinct('link.chain', {}, { maxTimeMS: VERIFY_MAX_TIME_MS }) as Promise<string[]>,
      this.heads.distinct('_id', {}, { maxTimeMS: VERIFY_MAX_TIME_MS }),
      this.audit.distinct('advisoryId', unchainedFilter, { maxTimeMS: VERIFY_MAX_TIME_MS }) as Promise<unknown[]>,
      this.audit.findOne(unchainedOf(NO_ADVISORY_CHAIN), { projection: { _id: 1 }, maxTimeMS: VERIFY_MAX_TIME_MS }),
    ]);
    const chains = new Set<string>([...linked, ...headed]);
    for (const a of unchained) if (typeof a === 'string') chains.add(a);
    if (unchainedNone) chains.add(NO_ADVISORY_CHAIN);
    return [...chains].sort();
  }

  async readAuditChain(chain: string): Promise<StoredChain> {
    // The head first (StoredChain says why): an append landing meanwhile only adds links beyond it.
    const head = await this.headRecord(chain);
    const docs = await this.audit
      .find({ 'link.chain': chain } as Filter<AuditDoc>, { sort: { 'link.seq': 1 }, maxTimeMS: VERIFY_MAX_TIME_MS })
      .toArray();
    const links = docs.map((doc): ChainLink => {
      const link = doc.link as ChainPosition;
      return { chain: link.chain, seq: link.seq, prev: link.prev, hash: link.hash, event: eventOf(doc) };
    });
    const unchainedDocs = await this.audit
      .find(unchainedOf(chain), {
        sort: { at: 1, seq: 1 },
        maxTimeMS: VERIFY_MAX_TIME_MS,
      })
      .toArray();
    return { chain, head, links, unchained: unchainedDocs.map(eventOf) };
  }

  async auditChainHead(chain: string): Promise<ChainTip | null> {
    return this.lastLink(chain);
  }
}
