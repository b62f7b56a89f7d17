import type { Collection } from 'mongodb';
import { sameMessageRef, type MessageRef } from '../../domain/platform.js';
import { BotError } from '../../errors.js';
import { isDuplicateKey } from './mongo-errors.js';

/**
 * One claimed message reference: unique by _id, so a ref has at most one owner. `v` is the highest
 * version of the owner that has claimed it: a write of version n raises it to n *before* the
 * owner's document is written, which is what lets a claim be released safely without transactions
 * (see release and tidy).
 */
export interface MessageRefDoc {
  _id: string;
  owner: string;
  v: number;
}

/** The fields of a delivery or phone task document the registry reads. */
export interface RefHolderDoc {
  _id: string;
  version: number;
  messages: MessageRef[];
}

/** Bounded: every lost round means another writer changed the claim, and that cannot go on long. */
const CLAIM_TRIES = 5;

/** Unambiguous: JSON keeps parts apart that a separator could run together. */
function refKey(kind: string, ref: MessageRef): string {
  return JSON.stringify([kind, ref.platform, ref.channelId, ref.messageId]);
}

/**
 * Which delivery (or phone task) owns a posted message, enforced the way SQLite's primary key on
 * (platform, channel, message) does, but without a transaction: the refs are claimed in their own
 * collection *before* the owner's document is written, and a ref another owner holds is refused
 * with STORE.CONFLICT before anything is written. Lookups by message still read the owners'
 * documents (their `messages`), which stay the truth; the registry only guards uniqueness.
 *
 * Invariant: a document never holds a ref unless its id owns the ref's claim. Claims a write left
 * behind (it lost its compare-and-set, or the process died between claim and write) are tidied
 * up, or recognised as stale and taken over: a claim of version v whose owner is stored at a
 * version >= v without the ref can never be needed again, because any later write of that owner
 * raises v before it writes.
 */
export class MessageRefRegistry {
  constructor(
    private readonly refs: Collection<MessageRefDoc>,
    private readonly holders: Collection<RefHolderDoc>,
    private readonly kind: 'delivery' | 'phone-task',
    private readonly maxTimeMS: number,
  ) {}

  /**
   * Claim every ref for `ownerId` at `version`. Returns the keys this call newly took (inserted
   * or taken over from a stale owner), for tidy() should the write then not happen. Throws
   * STORE.CONFLICT, having let go of what it took, when another owner holds one of the refs.
   */
  async claim(ownerId: string, version: number, messages: readonly MessageRef[]): Promise<string[]> {
    const taken: string[] = [];
    const seen = new Set<string>();
    try {
      for (const ref of messages) {
        const key = refKey(this.kind, ref);
        // The same ref listed twice in one document is harmless (SQLite ignores it too).
        if (seen.has(key)) continue;
        seen.add(key);
        if (await this.claimOne(key, ref, ownerId, version)) taken.push(key);
      }
      return taken;
    } catch (err) {
      // The refusal (or the database's error) is what the caller must hear. Should the tidying up
      // fail as well, what it left is recognised as stale later (see takeOverIfStale).
      await this.tidy(ownerId, taken).catch(() => undefined);
      throw err;
    }
  }

  /** True when this call took the claim, false when `ownerId` held it already. */
  private async claimOne(key: string, ref: MessageRef, ownerId: string, version: number): Promise<boolean> {
    for (let attempt = 1; attempt <= CLAIM_TRIES; attempt++) {
      let inserted: boolean;
      try {
        // Ours already: raise v to this version. Nobody's: the upsert creates our claim ({_id,
        // owner} from the filter). Someone else's: the upsert's insert hits the unique _id.
        const r = await this.refs.updateOne({ _id: key, owner: ownerId }, { $max: { v: version } }, { upsert: true });
        inserted = r.upsertedCount === 1;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        if (await this.takeOverIfStale(key, ref, ownerId, version)) return true;
        continue;
      }
      if (!inserted) return false;
      await this.refuseIfHeldWithoutClaim(key, ref, ownerId);
      return true;
    }
    throw new BotError('STORE.CONFLICT', 'message reference kept changing under us', {
      kind: this.kind,
      ownerId,
      message: ref,
      tries: CLAIM_TRIES,
    });
  }

  /**
   * A fresh claim: documents written before the registry existed (or by an older release during a
   * rolling upgrade) hold refs without claims. If one holds this ref, the claim is theirs.
   */
  private async refuseIfHeldWithoutClaim(key: string, ref: MessageRef, ownerId: string): Promise<void> {
    const holder = await this.holders.findOne(
      { _id: { $ne: ownerId }, messages: { $elemMatch: { platform: ref.platform, channelId: ref.channelId, messageId: ref.messageId } } },
      { projection: { _id: 1, version: 1 }, maxTimeMS: this.maxTimeMS },
    );
    if (!holder) return;
    await this.refs.updateOne({ _id: key, owner: ownerId }, { $set: { owner: holder._id, v: holder.version } });
    throw this.conflict(ownerId, holder._id, ref);
  }

  /**
   * Another owner has the claim. It is stale when that owner is stored at a version >= the claim's
   * without the ref: then take it over, conditionally on the claim being unchanged, so that a write
   * of that owner raising v meanwhile wins. Otherwise the ref is theirs (or about to be): refuse.
   * Returns false when the claim changed under us and the caller should try again.
   */
  private async takeOverIfStale(key: string, ref: MessageRef, ownerId: string, version: number): Promise<boolean> {
    const current = await this.refs.findOne({ _id: key }, { maxTimeMS: this.maxTimeMS });
    if (!current || current.owner === ownerId) return false;
    const other = await this.holders.findOne(
      { _id: current.owner },
      { projection: { version: 1, messages: 1 }, maxTimeMS: this.maxTimeMS },
    );
    const stale = other !== null && current.v <= other.version && !(other.messages ?? []).some((m) => sameMessageRef(m, ref));
    if (!stale) throw this.conflict(ownerId, current.owner, ref);
    const r = await this.refs.updateOne(
      { _id: key, owner: current.owner, v: current.v },
      { $set: { owner: ownerId, v: version } },
    );
    return r.matchedCount === 1;
  }

  /**
   * After `ownerId` was written at `version` without these refs (its earlier version had them):
   * let go of them. Only claims of versions up to `version`: a later write of the same owner that
   * holds one of them again has raised v past it already, or will insert a fresh claim.
   */
  async release(ownerId: string, version: number, dropped: readonly MessageRef[]): Promise<void> {
    if (dropped.length === 0) return;
    const keys = [...new Set(dropped.map((r) => refKey(this.kind, r)))];
    await this.refs.deleteMany({ _id: { $in: keys }, owner: ownerId, v: { $lte: version } });
  }

  /**
   * The write these claims were taken for did not happen (lost compare-and-set, refused, or the
   * document already existed): let go of those the stored document does not hold. Safe because
   * every write of a version above the stored one raises v above it first; a document not stored
   * at all keeps its claims, as an insert of it may still be on its way.
   */
  async tidy(ownerId: string, taken: readonly string[]): Promise<void> {
    if (taken.length === 0) return;
    const stored = await this.holders.findOne(
      { _id: ownerId },
      { projection: { version: 1, messages: 1 }, maxTimeMS: this.maxTimeMS },
    );
    if (!stored) return;
    const held = new Set((stored.messages ?? []).map((m) => refKey(this.kind, m)));
    const loose = taken.filter((k) => !held.has(k));
    if (loose.length === 0) return;
    await this.refs.deleteMany({ _id: { $in: loose }, owner: ownerId, v: { $lte: stored.version } });
  }

  /** The refs `before` had that `after` no longer has. */
  static dropped(before: readonly MessageRef[] | undefined, after: readonly MessageRef[]): MessageRef[] {
    return (before ?? []).filter((b) => !after.some((a) => sameMessageRef(a, b)));
  }

  private conflict(ownerId: string, otherId: string, ref: MessageRef): BotError {
    return this.kind === 'delivery'
      ? new BotError('STORE.CONFLICT', 'message already belongs to another delivery', {
          deliveryId: ownerId,
          otherDeliveryId: otherId,
          message: ref,
        })
      : new BotError('STORE.CONFLICT', 'message already belongs to another phone task', {
          taskId: ownerId,
          otherTaskId: otherId,
          message: ref,
        });
  }
}
