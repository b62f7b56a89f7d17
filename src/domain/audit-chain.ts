import { createHash } from 'node:crypto';
import type { AuditEvent } from './audit.js';

/**
 * The audit log as hash chains, so that an edited, deleted or inserted event shows.
 *
 * One chain per advisory, plus one for the events that belong to none (refusals, forms opened):
 * - an advisory's record is verified, exported and archived on its own, and its closing summary
 *   can carry its chain's head as an anchor outside the database;
 * - appends to different advisories never wait for each other. The acknowledgement burst of one
 *   advisory (1,800 members within seconds) is serialised on its chain whatever the design: a
 *   single global chain would serialise every other advisory's and every refusal's events behind it.
 *
 * Each event gets a link: its chain, its place `seq` (1, 2, … with no gaps), the hash of the link
 * before it (`prev`; a genesis value derived from the chain's name for the first), and its own
 * `hash` = SHA-256 over the canonical form of { v, chain, seq, prev, event }. So a link's hash
 * covers its content, its position and its chain, and the next link covers it in turn.
 *
 * What it proves, and what not (docs/AUDIT.md): the hash is unkeyed, so someone who can write the
 * whole database can rewrite a chain from the edited event to its end, head record included, and
 * it verifies. What stops that is an anchor kept outside the database: the closing summary posted
 * to the secretariat's chat carries the chain head (auditChainHead), and `verify-audit --anchor`
 * checks a chain against it.
 */

/** The chain of the events that belong to no advisory. Parentheses never occur in advisory ids. */
export const NO_ADVISORY_CHAIN = '(none)';

/** Bumped only with a new hashing scheme; links written under v1 keep verifying under v1. */
export const CHAIN_VERSION = 1;

export function chainOf(event: Pick<AuditEvent, 'advisoryId'>): string {
  return event.advisoryId ?? NO_ADVISORY_CHAIN;
}

/** Where an event sits in its chain. */
export interface ChainPosition {
  chain: string;
  seq: number;
  /** The previous link's hash, or genesisHash(chain) for seq 1. Lowercase hex SHA-256. */
  prev: string;
  hash: string;
}

/** An event as stored, with its link. */
export interface ChainLink extends ChainPosition {
  event: AuditEvent;
}

/** The end of a chain: the last link, or the head record the store keeps beside the chain. */
export interface ChainTip {
  seq: number;
  hash: string;
  eventId: string;
}

/** A {seq, hash} known from outside the store (e.g. the closing summary in the secretariat's chat). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

/**
 * Everything a store has for one chain, read in this order: the head record first, then the links
 * in seq order, then the events of the chain's advisory that have no link. Reading the head first
 * means an append that lands while we read can only add links beyond the head, never make the head
 * point past the links we saw.
 */
export interface StoredChain {
  chain: string;
  head: ChainTip | null;
  links: ChainLink[];
  unchained: AuditEvent[];
}

/** A string is hashed as its UTF-8 bytes (Node's default for strings). */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Lone surrogates cannot be stored as UTF-8 (MongoDB's BSON writes U+FFFD instead): hash what survives. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD');


/**
 * Canonical JSON: JSON.stringify's data model written with object keys sorted by UTF-16 code units
 * (as RFC 8785 does) and no whitespace, so the same event hashes the same whichever store gives it
 * back and in whatever key order.
 * - A property whose value is undefined (or a function or symbol) is left out, exactly as if it
 *   were absent: that is what a store gives back (JSON text in SQLite, ignoreUndefined in MongoDB),
 *   so `actor: undefined` and no actor hash the same. Inside an array such a value is null.
 * - null stays null. A number as JSON.stringify writes it (shortest round trip, -0 as 0); NaN and
 *   the infinities as null. A bigint has no JSON form: refused, as JSON.stringify refuses it.
 * - toJSON() is used where there is one (a Date is its ISO string), as JSON.stringify does.
 * - Strings with a lone surrogate are hashed with U+FFFD in its place (see wellFormed).
 */
export function canonicalJson(value: unknown): string {
  return canonical(value) ?? 'null';
}

function canonical(input: unknown): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  if (value === null) return 'null';
  // No JSON form, so not there (left out of an object, null in an array).
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value === 'string') return JSON.stringify(wellFormed(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'bigint') throw new TypeError('audit event holds a bigint, which JSON cannot write');
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  // sort() with no comparator orders strings by UTF-16 code units, as RFC 8785 does.
  for (const key of Object.keys(record).sort()) {
    const written = canonical(record[key]);
    if (written !== undefined) members.push(`${JSON.stringify(wellFormed(key))}:${written}`);
  }
  return `{${members.join(',')}}`;
}

function hasToJson(value: unknown): value is { toJSON: () => unknown } {
  return typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function';
}

/**
 * The event exactly as a store will give it back: JSON's data model (undefined properties gone, a
 * Date as its ISO string, NaN as null) with well-formed strings. Stores keep and hash this form.
 */
export function normaliseEvent(event: AuditEvent): AuditEvent {
  return JSON.parse(JSON.stringify(event), (_key, v: unknown) => (typeof v === 'string' ? wellFormed(v) : v)) as AuditEvent;
}

/** The `prev` of a chain's first link: derived from the chain's name, so a first link cannot move to another chain. */
export function genesisHash(chain: string): string {
  return sha256(canonicalJson({ v: CHAIN_VERSION, genesis: chain }));
}

export function linkHash(chain: string, seq: number, prev: string, event: AuditEvent): string {
  return sha256(canonicalJson({ v: CHAIN_VERSION, chain, seq, prev, event }));
}

/**
 * The link for `event` after `tip` (null: the chain is empty). The event should be normalised
 * (normaliseEvent) so that what is hashed is what the store keeps.
 */
export function nextLink(chain: string, tip: Pick<ChainTip, 'seq' | 'hash'> | null, event: AuditEvent): ChainLink {
  const seq = tip ? tip.seq + 1 : 1;
  const prev = tip ? tip.hash : genesisHash(chain);
  return { chain, seq, prev, hash: linkHash(chain, seq, prev, event), event };
}

/**
 * Where the next append goes on: the later of the head record and the last link. A head ahead of
 * the last link means events at the end were deleted; chaining on from the head keeps that gap
 * visible instead of quietly reusing the deleted places. A head behind (MongoDB: a process died
 * between writing an event and moving the head) is simply overtaken.
 */
export function appendBase(head: ChainTip | null, last: ChainTip | null): ChainTip | null {
  if (!head) return last;
  if (!last) return head;
  return head.seq >= last.seq ? head : last;
}

export type ChainProblemKind =
  /** Links with these seqs are not there: deleted. */
  | 'missing'
  /** A link whose seq is not above the one before: stored out of order or twice. */
  | 'out-of-order'
  /** The link's stored hash is not the hash of its content: the event (or its place) was changed after it was written. */
  | 'edited'
  /** The link does not follow the link stored before it. */
  | 'broken-prev'
  /** The link follows an earlier link, so the ones between were put in afterwards. */
  | 'inserted'
  /** The event names another advisory than the chain it sits in. */
  | 'wrong-chain'
  /** An event of this chain's advisory with no link: written around the bot's append. */
  | 'unchained'
  /** The head record is further than the last link: the events at the end were deleted. */
  | 'tail-missing'
  /** The link at the head's seq is not the one the head recorded: the chain was rewritten from there. */
  | 'head-mismatch'
  /** There are links but no head record. */
  | 'no-head'
  /** The link at an outside anchor's seq has another hash, or is not there. */
  | 'anchor-mismatch';

/** One broken link: which chain, which place, which event, what is wrong. */
export interface ChainProblem {
  kind: ChainProblemKind;
  chain: string;
  /** The place the problem is at (for missing, tail-missing and inserted: the first place of the range). */
  seq?: number | undefined;
  /** The last place of a range (missing, tail-missing, inserted). */
  toSeq?: number | undefined;
  /**
   * The event at `seq`; for missing, the event just after the gap (the deleted ones' ids are gone);
   * for tail-missing, the last deleted event, as the head record names it.
   */
  eventId?: string | undefined;
  /** What was expected there and what was found (hashes, seqs, advisory ids). */
  expected?: string | undefined;
  found?: string | undefined;
}

export interface ChainReport {
  chain: string;
  ok: boolean;
  /** Links read. */
  links: number;
  /** The last link read (what an anchor should record), or null for an empty chain. */
  last: ChainTip | null;
  head: ChainTip | null;
  /**
   * Links beyond the head record: appended while we read, or (MongoDB) written by a process that
   * died before it moved the head. Not a problem, but nothing anchors them until the head moves.
   */
  unanchored: number;
  /** The first `maxProblems` problems, in chain order; the first is the first broken link. */
  problems: ChainProblem[];
  /** How many problems there were in all (problems may hold fewer). */
  problemCount: number;
}

export interface VerifyOptions {
  anchors?: readonly ChainAnchor[] | undefined;
  /** Problems kept in the report (all are counted); default 100. */
  maxProblems?: number | undefined;
}

/**
 * Checks a chain link by link, as a stream: add() every link in the order the store gives them
 * (seq order), then finish(). After a broken link it goes on from that link's stored hash, so one
 * edit is one problem, not one per link after it.
 */
export class ChainVerifier {
  private readonly problems: ChainProblem[] = [];
  private problemCount = 0;
  private readonly maxProblems: number;
  private readonly anchors: Map<number, string>;
  private readonly seenAnchors = new Set<number>();
  private expectedSeq = 1;
  private prevHash: string;
  /** hash → seq of every link read, to tell an insertion from a replacement. */
  private readonly seqByHash = new Map<string, number>();
  /** seq → event id, to name the event at a place reported later. */
  private readonly idBySeq = new Map<number, string>();
  private readonly hashBySeq = new Map<number, string>();
  private count = 0;
  private last: ChainTip | null = null;

  constructor(
    readonly chain: string,
    options: VerifyOptions = {},
  ) {
    this.maxProblems = options.maxProblems ?? 100;
    this.anchors = new Map((options.anchors ?? []).map((a) => [a.seq, a.hash.toLowerCase()]));
    this.prevHash = genesisHash(chain);
  }

  private report(problem: Omit<ChainProblem, 'chain'>): void {
    this.problemCount++;
    if (this.problems.length < this.maxProblems) this.problems.push({ chain: this.chain, ...problem });
  }

  add(link: ChainLink): void {
    const eventId = link.event.id;
    this.count++;
    let followsPrevious = true;
    if (link.seq > this.expectedSeq) {
      // The deleted events' ids are gone with them: name the one after the gap.
      this.report({ kind: 'missing', seq: this.expectedSeq, toSeq: link.seq - 1, eventId, expected: String(this.expectedSeq), found: String(link.seq) });
      // Its prev is the hash of a deleted link: nothing left to compare it with.
      followsPrevious = false;
    } else if (link.seq < this.expectedSeq) {
      this.report({ kind: 'out-of-order', seq: link.seq, eventId, expected: String(this.expectedSeq), found: String(link.seq) });
    }
    const recomputed = linkHash(this.chain, link.seq, link.prev, link.event);
    const intact = recomputed === link.hash;
    if (followsPrevious && link.prev !== this.prevHash) this.reportBrokenPrev(link, intact);
    if (!intact) this.report({ kind: 'edited', seq: link.seq, eventId, expected: recomputed, found: link.hash });
    const eventChain = chainOf(link.event);
    if (eventChain !== this.chain) {
      this.report({ kind: 'wrong-chain', seq: link.seq, eventId, expected: this.chain, found: eventChain });
    }
    const anchored = this.anchors.get(link.seq);
    if (anchored !== undefined) {
      this.seenAnchors.add(link.seq);
      if (anchored !== link.hash) this.report({ kind: 'anchor-mismatch', seq: link.seq, eventId, expected: anchored, found: link.hash });
    }
    this.prevHash = link.hash;
    this.expectedSeq = Math.max(this.expectedSeq, link.seq + 1);
    this.seqByHash.set(link.hash, link.seq);
    this.idBySeq.set(link.seq, eventId);
    this.hashBySeq.set(link.seq, link.hash);
    this.last = { seq: link.seq, hash: link.hash, eventId };
  }

  /**
   * The link does not follow the link read before it. If it follows an earlier one, the links between
   * were put in afterwards (said first, as they come first in the chain). Otherwise, if the link
   * itself is intact, the one before it is not the one it was chained to: replaced, or edited and
   * given a fresh hash. If the link itself is not intact, its own 'edited' says it (its place or
   * prev changed), and blaming the one before would point at an innocent event.
   */
  private reportBrokenPrev(link: ChainLink, intact: boolean): void {
    const earlier = this.seqByHash.get(link.prev);
    if (earlier !== undefined) {
      this.report({ kind: 'inserted', seq: earlier + 1, toSeq: link.seq - 1, eventId: this.idBySeq.get(earlier + 1), expected: link.prev, found: this.prevHash });
      return;
    }
    if (!intact) return;
    const before = link.seq - 1;
    this.report({ kind: 'broken-prev', seq: before, eventId: this.idBySeq.get(before), expected: link.prev, found: this.prevHash });
  }

  /** `unchained`: the events of this chain that have no link. */
  finish(head: ChainTip | null, unchained: readonly AuditEvent[]): ChainReport {
    for (const event of unchained) this.report({ kind: 'unchained', eventId: event.id });
    const lastSeq = this.last?.seq ?? 0;
    if (head === null) {
      if (this.last) this.report({ kind: 'no-head', seq: lastSeq, eventId: this.last.eventId });
    } else if (head.seq > lastSeq) {
      this.report({ kind: 'tail-missing', seq: lastSeq + 1, toSeq: head.seq, eventId: head.eventId, expected: String(head.seq), found: String(lastSeq) });
    } else {
      const there = this.hashBySeq.get(head.seq);
      // A place that is not there was reported as missing already.
      if (there !== undefined && there !== head.hash) {
        this.report({ kind: 'head-mismatch', seq: head.seq, eventId: this.idBySeq.get(head.seq), expected: head.hash, found: there });
      }
    }
    for (const [seq, hash] of this.anchors) {
      if (!this.seenAnchors.has(seq)) this.report({ kind: 'anchor-mismatch', seq, expected: hash, found: undefined });
    }
    return {
      chain: this.chain,
      ok: this.problemCount === 0,
      links: this.count,
      last: this.last,
      head,
      unanchored: [...this.hashBySeq.keys()].filter((seq) => seq > (head?.seq ?? 0)).length,
      problems: this.problems,
      problemCount: this.problemCount,
    };
  }
}

export function verifyChain(stored: StoredChain, options: VerifyOptions = {}): ChainReport {
  const verifier = new ChainVerifier(stored.chain, options);
  for (const link of stored.links) verifier.add(link);
  return verifier.finish(stored.head, stored.unchained);
}
