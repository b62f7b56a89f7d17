import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../src/domain/audit.js';
import {
  appendBase,
  canonicalJson,
  chainOf,
  ChainVerifier,
  genesisHash,
  linkHash,
  nextLink,
  NO_ADVISORY_CHAIN,
  normaliseEvent,
  verifyChain,
  type ChainLink,
  type ChainTip,
  type StoredChain,
} from '../../../src/domain/audit-chain.js';

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const CHAIN = 'ADV-2026-0042';

function anEvent(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: `evt-${i}`,
    at: `2026-04-01T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
    actor: { platform: 'slack', userId: `U${i}`, name: '会員 花子' },
    action: 'delivery.acknowledged',
    advisoryId: CHAIN,
    deliveryId: `d-${i}`,
    detail: { via: 'button', n: i },
    ...overrides,
  };
}

/** A well-formed chain of n links, as the stores write it. */
function aChain(n: number, chain = CHAIN): ChainLink[] {
  const links: ChainLink[] = [];
  let tip: ChainTip | null = null;
  for (let i = 1; i <= n; i++) {
    const event = chain === NO_ADVISORY_CHAIN ? anEvent(i, { advisoryId: undefined }) : anEvent(i, { advisoryId: chain });
    const link = nextLink(chain, tip, normaliseEvent(event));
    links.push(link);
    tip = { seq: link.seq, hash: link.hash, eventId: event.id };
  }
  return links;
}

const headOf = (links: ChainLink[]): ChainTip | null => {
  const last = links.at(-1);
  return last ? { seq: last.seq, hash: last.hash, eventId: last.event.id } : null;
};

const stored = (links: ChainLink[], head: ChainTip | null = headOf(links), unchained: AuditEvent[] = []): StoredChain => ({
  chain: links[0]?.chain ?? CHAIN,
  head,
  links,
  unchained,
});

/** Give a link a new place and a fresh, self-consistent hash, as someone rewriting the chain would. */
function rehashed(link: ChainLink, seq: number, prev: string): ChainLink {
  return { ...link, seq, prev, hash: linkHash(link.chain, seq, prev, link.event) };
}

/** Rewrite links from index `from` on so that each follows the one before (seq and prev), as a thorough forger would. */
function rechained(links: ChainLink[], from: number): ChainLink[] {
  const out = links.slice(0, from);
  for (let i = from; i < links.length; i++) {
    const before = out[i - 1];
    out.push(rehashed(links[i] as ChainLink, i + 1, before ? before.hash : genesisHash(CHAIN)));
  }
  return out;
}

describe('canonicalJson', () => {
  it('sorts keys by UTF-16 code units at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' }, B: 2, é: 0, _: 1 })).toBe(
      '{"B":2,"_":1,"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1,"é":0}',
    );
    // Code units, not locale order: a supplementary character (surrogate pair) sorts before U+FFFD.
    expect(canonicalJson({ '\uFFFD': 1, '😀': 2 })).toBe('{"😀":2,"\uFFFD":1}');
  });

  it('is the same whatever order the keys were written in', () => {
    const a = { id: 'e', detail: { x: 1, y: [1, 2] }, at: 't' };
    const b = { at: 't', detail: { y: [1, 2], x: 1 }, id: 'e' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('treats an undefined property as absent, as the stores give it back', () => {
    expect(canonicalJson({ a: 1, actor: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, actor: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ f: () => 1, s: Symbol('x'), a: 1 })).toBe('{"a":1}');
  });

  it('writes what JSON writes for arrays, numbers and objects with toJSON', () => {
    expect(canonicalJson([undefined, null, 1, () => 1])).toBe('[null,null,1,null]');
    expect(canonicalJson({ n: -0, big: 1e21, small: 1e-7, frac: 0.1 })).toBe('{"big":1e+21,"frac":0.1,"n":0,"small":1e-7}');
    expect(canonicalJson({ nan: NaN, inf: Infinity, ninf: -Infinity })).toBe('{"inf":null,"nan":null,"ninf":null}');
    expect(canonicalJson({ at: new Date('2026-04-01T09:00:00.000Z') })).toBe('{"at":"2026-04-01T09:00:00.000Z"}');
    expect(canonicalJson(true)).toBe('true');
    expect(canonicalJson(false)).toBe('false');
    expect(canonicalJson(null)).toBe('null');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('受領確認 "quoted" \\ \n')).toBe('"受領確認 \\"quoted\\" \\\\ \\n"');
  });

  it('agrees with JSON.stringify on anything JSON can write, once the keys are sorted', () => {
    const value = { z: [1, 'two', { k: false }], a: '日本語', m: { n: null, o: 3.25 } };
    expect(JSON.parse(canonicalJson(value))).toStrictEqual(value);
  });

  it('refuses a bigint, as JSON.stringify does', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });

  it('hashes a lone surrogate as U+FFFD, which is what a UTF-8 store keeps', () => {
    expect(canonicalJson({ s: 'a\uD800b', t: '\uDC00', [`k\uD800`]: 1 })).toBe(canonicalJson({ s: 'a\uFFFDb', t: '\uFFFD', 'k\uFFFD': 1 }));
    // A proper pair stays.
    expect(canonicalJson('😀')).toBe('"😀"');
  });
});

describe('normaliseEvent', () => {
  it('gives the event as a store gives it back: no undefined, JSON values, well-formed strings', () => {
    const event = { ...anEvent(1), actor: undefined, detail: { when: new Date('2026-04-01T00:00:00.000Z'), bad: NaN, s: 'x\uD800' } } as unknown as AuditEvent;
    const n = normaliseEvent(event);
    const { actor: _actor, ...rest } = anEvent(1);
    expect(n).toStrictEqual({ ...rest, detail: { when: '2026-04-01T00:00:00.000Z', bad: null, s: 'x\uFFFD' } });
    expect('actor' in n).toBe(false);
    expect(canonicalJson(n)).toBe(canonicalJson(event));
  });
});

describe('hashes', () => {
  it('genesis is the SHA-256 of the chain name in canonical form, different per chain', () => {
    expect(genesisHash(CHAIN)).toBe(sha256(`{"genesis":"${CHAIN}","v":1}`));
    expect(genesisHash(CHAIN)).not.toBe(genesisHash('ADV-2026-0043'));
    expect(genesisHash(CHAIN)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a link hash is the SHA-256 of {chain, event, prev, seq, v} in canonical form', () => {
    const event = anEvent(1);
    const prev = genesisHash(CHAIN);
    expect(linkHash(CHAIN, 1, prev, event)).toBe(sha256(canonicalJson({ chain: CHAIN, event, prev, seq: 1, v: 1 })));
  });

  it('covers the chain, the place, the previous hash and every field of the event', () => {
    const event = anEvent(1);
    const prev = genesisHash(CHAIN);
    const base = linkHash(CHAIN, 1, prev, event);
    const variants = [
      linkHash('ADV-2026-0043', 1, prev, event),
      linkHash(CHAIN, 2, prev, event),
      linkHash(CHAIN, 1, genesisHash('x'), event),
      linkHash(CHAIN, 1, prev, { ...event, at: '2026-04-01T09:00:02.000Z' }),
      linkHash(CHAIN, 1, prev, { ...event, actor: { ...event.actor!, userId: 'U9' } }),
      linkHash(CHAIN, 1, prev, { ...event, detail: { via: 'phone', n: 1 } }),
    ];
    for (const v of variants) expect(v).not.toBe(base);
    expect(new Set(variants).size).toBe(variants.length);
  });
});

describe('nextLink and appendBase', () => {
  it('starts a chain at seq 1 from the genesis hash, and goes on from a tip', () => {
    const e1 = anEvent(1);
    const first = nextLink(CHAIN, null, e1);
    expect(first).toStrictEqual({ chain: CHAIN, seq: 1, prev: genesisHash(CHAIN), hash: linkHash(CHAIN, 1, genesisHash(CHAIN), e1), event: e1 });
    const e2 = anEvent(2);
    const second = nextLink(CHAIN, { seq: 1, hash: first.hash }, e2);
    expect(second).toMatchObject({ seq: 2, prev: first.hash, hash: linkHash(CHAIN, 2, first.hash, e2) });
  });

  it('goes on from the later of the head record and the last link', () => {
    const head = { seq: 5, hash: 'h5', eventId: 'e5' };
    const last = { seq: 3, hash: 'h3', eventId: 'e3' };
    expect(appendBase(null, null)).toBeNull();
    expect(appendBase(head, null)).toBe(head);
    expect(appendBase(null, last)).toBe(last);
    // The end was deleted: go on after the head, so the gap stays visible.
    expect(appendBase(head, last)).toBe(head);
    // The head lags (a process died between the insert and the head): overtake it.
    expect(appendBase(last, head)).toBe(head);
    const same = { seq: 5, hash: 'other', eventId: 'x' };
    expect(appendBase(head, same)).toBe(head);
  });

  it('puts an event in its advisory’s chain, or in the chain of no advisory', () => {
    expect(chainOf(anEvent(1))).toBe(CHAIN);
    // Stored as the chain's name (SQLite's chain column, MongoDB's link.chain): it must never change.
    expect(chainOf({ advisoryId: undefined })).toBe('(none)');
    expect(NO_ADVISORY_CHAIN).toBe('(none)');
  });
});

describe('verifyChain', () => {
  it('passes an intact chain and reports its last link', () => {
    const links = aChain(5);
    const report = verifyChain(stored(links));
    expect(report).toStrictEqual({
      chain: CHAIN,
      ok: true,
      links: 5,
      last: headOf(links),
      head: headOf(links),
      unanchored: 0,
      problems: [],
      problemCount: 0,
    });
  });

  it('passes an empty chain with no head', () => {
    expect(verifyChain({ chain: CHAIN, head: null, links: [], unchained: [] })).toMatchObject({ ok: true, links: 0, last: null, problems: [] });
  });

  it('passes the chain of no advisory', () => {
    const links = aChain(3, NO_ADVISORY_CHAIN);
    expect(verifyChain(stored(links)).ok).toBe(true);
  });

  it('names an edited event: its hash no longer matches its content', () => {
    const links = aChain(5);
    const edited = { ...links[2]!, event: { ...links[2]!.event, detail: { via: 'phone', n: 3 } } };
    links[2] = edited;
    const report = verifyChain(stored(links));
    expect(report.ok).toBe(false);
    expect(report.problems).toStrictEqual([
      { kind: 'edited', chain: CHAIN, seq: 3, eventId: 'evt-3', expected: linkHash(CHAIN, 3, edited.prev, edited.event), found: edited.hash },
    ]);
    expect(report.problemCount).toBe(1);
  });

  it('names an edited event whose hash was made to match: the next link no longer follows it', () => {
    const links = aChain(5);
    const forged = { ...links[2]!, event: { ...links[2]!.event, at: '2026-04-01T10:00:00.000Z' } };
    links[2] = rehashed(forged, 3, forged.prev);
    const report = verifyChain(stored(links, { ...headOf(links)! }));
    expect(report.problems).toStrictEqual([
      { kind: 'broken-prev', chain: CHAIN, seq: 3, eventId: 'evt-3', expected: aChain(5)[2]!.hash, found: links[2]!.hash },
    ]);
  });

  it('names a deleted event in the middle: a gap in the places', () => {
    const links = aChain(5);
    links.splice(2, 1);
    const report = verifyChain(stored(links));
    expect(report.problems).toStrictEqual([{ kind: 'missing', chain: CHAIN, seq: 3, toSeq: 3, eventId: 'evt-4', expected: '3', found: '4' }]);
  });

  it('names a deleted event when the places after it were renumbered too', () => {
    const links = aChain(5);
    links.splice(2, 1);
    const renumbered = links.map((l, i) => ({ ...l, seq: i + 1 }));
    const report = verifyChain(stored(renumbered));
    // The first link not as written is the one that moved into the deleted place; the one before it is not blamed.
    expect(report.problems.map((p) => [p.kind, p.seq, p.eventId])).toStrictEqual([
      ['edited', 3, 'evt-4'],
      ['edited', 4, 'evt-5'],
    ]);
  });

  it('names the first of several deleted events in a row', () => {
    const links = aChain(6);
    links.splice(1, 3);
    expect(verifyChain(stored(links)).problems).toStrictEqual([{ kind: 'missing', chain: CHAIN, seq: 2, toSeq: 4, eventId: 'evt-5', expected: '2', found: '5' }]);
  });

  it('names an inserted event: the link after it was chained to the one before it', () => {
    const links = aChain(4);
    // A forged event put in at place 3 with a correct-looking link; the later places moved up by one.
    const fake = nextLink(CHAIN, { seq: 2, hash: links[1]!.hash }, normaliseEvent(anEvent(99, { id: 'evt-forged' })));
    const tampered = [links[0]!, links[1]!, fake, { ...links[2]!, seq: 4 }, { ...links[3]!, seq: 5 }];
    const report = verifyChain(stored(tampered, { ...headOf(links)! }));
    // The forged link comes first; the one after it was moved (its place is not the one it was written at).
    expect(report.problems).toStrictEqual([
      { kind: 'inserted', chain: CHAIN, seq: 3, toSeq: 3, eventId: 'evt-forged', expected: links[1]!.hash, found: fake.hash },
      { kind: 'edited', chain: CHAIN, seq: 4, eventId: 'evt-3', expected: linkHash(CHAIN, 4, links[2]!.prev, links[2]!.event), found: links[2]!.hash },
      { kind: 'edited', chain: CHAIN, seq: 5, eventId: 'evt-4', expected: linkHash(CHAIN, 5, links[3]!.prev, links[3]!.event), found: links[3]!.hash },
      { kind: 'head-mismatch', chain: CHAIN, seq: 4, eventId: 'evt-3', expected: links[3]!.hash, found: links[2]!.hash },
    ]);
  });

  it('names an inserted event even when the links after it were given fresh hashes for their new places', () => {
    const links = aChain(4);
    const fake = nextLink(CHAIN, { seq: 2, hash: links[1]!.hash }, normaliseEvent(anEvent(99, { id: 'evt-forged' })));
    // Renumbered and rehashed, but prev kept: the forger did not rewrite what each link follows.
    const moved = [links[2]!, links[3]!].map((l, i) => ({ ...l, seq: 4 + i, hash: linkHash(CHAIN, 4 + i, l.prev, l.event) }));
    const report = verifyChain(stored([links[0]!, links[1]!, fake, ...moved], { seq: 5, hash: moved[1]!.hash, eventId: 'evt-4' }));
    expect(report.problems).toStrictEqual([
      { kind: 'inserted', chain: CHAIN, seq: 3, toSeq: 3, eventId: 'evt-forged', expected: links[1]!.hash, found: fake.hash },
      { kind: 'broken-prev', chain: CHAIN, seq: 4, eventId: 'evt-3', expected: links[2]!.hash, found: moved[0]!.hash },
    ]);
  });

  it('names the deletion of the last events: the head record is further', () => {
    const links = aChain(5);
    const head = headOf(links);
    const report = verifyChain(stored(links.slice(0, 3), head));
    expect(report.problems).toStrictEqual([{ kind: 'tail-missing', chain: CHAIN, seq: 4, toSeq: 5, eventId: 'evt-5', expected: '5', found: '3' }]);
  });

  it('names the deletion of every event of a chain whose head remains', () => {
    const head = headOf(aChain(2));
    expect(verifyChain({ chain: CHAIN, head, links: [], unchained: [] }).problems).toStrictEqual([
      { kind: 'tail-missing', chain: CHAIN, seq: 1, toSeq: 2, eventId: 'evt-2', expected: '2', found: '0' },
    ]);
  });

  it('finds a chain rewritten from an event to its end by the head record that was not rewritten', () => {
    const links = aChain(5);
    const head = headOf(links);
    const forged = [...links];
    forged[2] = { ...links[2]!, event: { ...links[2]!.event, detail: { via: 'phone', n: 3 } } };
    const rewritten = rechained(forged, 2);
    const report = verifyChain(stored(rewritten, head));
    expect(report.problems).toStrictEqual([{ kind: 'head-mismatch', chain: CHAIN, seq: 5, eventId: 'evt-5', expected: head!.hash, found: rewritten[4]!.hash }]);
  });

  it('cannot tell a chain rewritten with its head from the real one: only an outside anchor can', () => {
    const links = aChain(5);
    const anchor = { seq: 5, hash: links[4]!.hash };
    const forged = [...links];
    forged[2] = { ...links[2]!, event: { ...links[2]!.event, detail: { via: 'phone', n: 3 } } };
    const rewritten = rechained(forged, 2);
    expect(verifyChain(stored(rewritten)).ok).toBe(true);
    const report = verifyChain(stored(rewritten), { anchors: [anchor] });
    expect(report.problems).toStrictEqual([{ kind: 'anchor-mismatch', chain: CHAIN, seq: 5, eventId: 'evt-5', expected: anchor.hash, found: rewritten[4]!.hash }]);
    // The anchor matches the real chain, in either case of hex.
    expect(verifyChain(stored(links), { anchors: [{ seq: 5, hash: anchor.hash.toUpperCase() }] }).ok).toBe(true);
  });

  it('reports an anchor whose place is not in the chain', () => {
    const links = aChain(3);
    expect(verifyChain(stored(links), { anchors: [{ seq: 7, hash: 'ab' }] }).problems).toStrictEqual([
      { kind: 'anchor-mismatch', chain: CHAIN, seq: 7, expected: 'ab', found: undefined },
    ]);
  });

  it('reports links without a head record', () => {
    const links = aChain(2);
    expect(verifyChain(stored(links, null)).problems).toStrictEqual([{ kind: 'no-head', chain: CHAIN, seq: 2, eventId: 'evt-2' }]);
    expect(verifyChain(stored(links, null)).unanchored).toBe(2);
  });

  it('accepts links beyond the head (appended while reading), and counts them as not yet anchored', () => {
    const links = aChain(5);
    const report = verifyChain(stored(links, { seq: 3, hash: links[2]!.hash, eventId: 'evt-3' }));
    expect(report).toMatchObject({ ok: true, unanchored: 2, problems: [] });
  });

  it('says a place is missing once, also when the head record points at it', () => {
    const links = aChain(5);
    const head = { seq: 3, hash: links[2]!.hash, eventId: 'evt-3' };
    const report = verifyChain(stored([links[0]!, links[1]!, links[3]!, links[4]!], head));
    expect(report.problems).toStrictEqual([{ kind: 'missing', chain: CHAIN, seq: 3, toSeq: 3, eventId: 'evt-4', expected: '3', found: '4' }]);
  });

  it('finishes a streamed chain with nothing unchained as intact', () => {
    const links = aChain(3);
    const verifier = new ChainVerifier(CHAIN);
    for (const l of links) verifier.add(l);
    expect(verifier.finish(headOf(links), [])).toMatchObject({ ok: true, problemCount: 0 });
  });

  it('reports a head that records another link than the one at its place', () => {
    const links = aChain(3);
    const report = verifyChain(stored(links, { seq: 2, hash: 'f'.repeat(64), eventId: 'evt-x' }));
    expect(report.problems).toStrictEqual([{ kind: 'head-mismatch', chain: CHAIN, seq: 2, eventId: 'evt-2', expected: 'f'.repeat(64), found: links[1]!.hash }]);
  });

  it('reports an event moved into another advisory’s chain', () => {
    const links = aChain(3);
    const moved = nextLink(CHAIN, { seq: 3, hash: links[2]!.hash }, normaliseEvent(anEvent(4, { advisoryId: 'ADV-2026-0001' })));
    const report = verifyChain(stored([...links, moved]));
    expect(report.problems).toStrictEqual([{ kind: 'wrong-chain', chain: CHAIN, seq: 4, eventId: 'evt-4', expected: CHAIN, found: 'ADV-2026-0001' }]);
  });

  it('reports links out of order (a place stored twice)', () => {
    const links = aChain(3);
    const report = verifyChain(stored([links[0]!, links[1]!, links[1]!, links[2]!]));
    expect(report.problems[0]).toMatchObject({ kind: 'out-of-order', seq: 2, eventId: 'evt-2', expected: '3', found: '2' });
  });

  it('reports events of the chain that have no link', () => {
    const links = aChain(2);
    const report = verifyChain(stored(links, headOf(links), [anEvent(50, { id: 'evt-sneaked' })]));
    expect(report.problems).toStrictEqual([{ kind: 'unchained', chain: CHAIN, eventId: 'evt-sneaked' }]);
  });

  it('counts every problem but keeps only the first ones', () => {
    const links = aChain(6).map((l, i) => (i % 2 === 0 ? { ...l, hash: l.hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) } : l));
    const verifier = new ChainVerifier(CHAIN, { maxProblems: 2 });
    for (const l of links) verifier.add(l);
    const report = verifier.finish(headOf(links), []);
    expect(report.problemCount).toBeGreaterThan(2);
    expect(report.problems).toHaveLength(2);
    expect(report.problems[0]).toMatchObject({ kind: 'edited', seq: 1 });
  });

  it('keeps a hundred problems by default', () => {
    const links = aChain(120).map((l) => ({ ...l, event: { ...l.event, at: 'x' } }));
    const report = verifyChain(stored(links));
    expect(report.problemCount).toBe(120);
    expect(report.problems).toHaveLength(100);
  });
});
