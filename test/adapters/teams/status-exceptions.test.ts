import { describe, expect, it } from 'vitest';
import { EXCEPTIONS_MAX, statusExceptionsCard } from '../../../adapters/teams/status-cards.js';
import { CARD_MAX_CHARS, jsonLength } from '../../../adapters/teams/card-elements.js';
import { EXPORT_LINK, statusPage } from '../../support/status-fixture.js';

/** Every TextBlock's text and fact, in order. */
function texts(card: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      if (typeof o.title === 'string' && typeof o.value === 'string') out.push(`${o.title}: ${o.value}`);
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out.join('\n');
}

describe('statusExceptionsCard (Teams advisory status)', () => {
  it('1,800 members: the counts, the first 20 exceptions failed first, "ほか N名", the CSV link', () => {
    const card = statusExceptionsCard(statusPage({ failed: 5, posted: 1_000, queued: 200, acknowledged: 595 }, EXCEPTIONS_MAX), { link: EXPORT_LINK });
    const all = texts(card);
    expect(jsonLength(card)).toBeLessThanOrEqual(CARD_MAX_CHARS);
    expect(all).toContain('1800');
    const listed = [...all.matchAll(/\*\*自治体(\d+) \/ Municipality \d+\*\*/g)].map((m) => Number(m[1]));
    expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(all).toContain('ほか 1,185名 / 1,185 more');
    expect(all).toContain(`](${EXPORT_LINK.url})`);
    expect(all).toContain('全員の一覧（CSV） / Everyone (CSV)');
  });

  it('only the exceptions: acknowledged rows on the page are left out and nothing is "more"', () => {
    const all = texts(statusExceptionsCard(statusPage({ failed: 1, posted: 2, queued: 0, acknowledged: 14 }, EXCEPTIONS_MAX), { link: EXPORT_LINK }));
    expect([...all.matchAll(/\*\*自治体\d+ \/ Municipality \d+\*\*/g)]).toHaveLength(3);
    expect(all).not.toContain('more');
  });

  it('no public URL: the export command instead of a link', () => {
    const all = texts(statusExceptionsCard(statusPage({ failed: 0, posted: 25, queued: 0, acknowledged: 0 }, EXCEPTIONS_MAX), { link: { path: EXPORT_LINK.path, expiresAt: EXPORT_LINK.expiresAt } }));
    expect(all).not.toContain('https://');
    expect(all).toContain('advisory export ADV-2026-0042');
    expect(all).toContain('ほか 5名 / 5 more');
  });
});
