import { describe, expect, it } from 'vitest';
import type { KnownBlock } from '@slack/types';
import { EVERYONE_CSV_ACTION, EXCEPTIONS_MAX, renderStatusExceptions } from '../../../adapters/slack/status-blocks.js';
import { MAX_BLOCKS } from '../../../adapters/slack/block-elements.js';
import { EXPORT_LINK, statusPage } from '../../support/status-fixture.js';

/** Every mrkdwn and plain text in the blocks, in order. */
function texts(blocks: KnownBlock[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') out.push(o.text);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out.join('\n');
}

describe('renderStatusExceptions (Slack /advisory status)', () => {
  it('1,800 members: the counts, the first 20 exceptions failed first, "ほか N名", the CSV button', () => {
    const view = statusPage({ failed: 5, posted: 1_000, queued: 200, acknowledged: 595 }, EXCEPTIONS_MAX);
    const out = renderStatusExceptions(view, { link: EXPORT_LINK });
    const all = texts(out.blocks);
    expect(out.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
    // The counts of everyone, not of the page.
    expect(all).toContain('1800');
    expect(all).toContain('要対応（配信失敗・未確認） / Needs attention (failed, not acknowledged)');
    // The 20 rows given: 5 failed, then 15 silent; the rest counted.
    const listed = [...all.matchAll(/\*自治体(\d+) \/ Municipality \d+\*/g)].map((m) => Number(m[1]));
    expect(listed).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(all.indexOf('*自治体5 / Municipality 5*')).toBeLessThan(all.indexOf('*自治体6 / Municipality 6*'));
    expect(all).toContain('ほか 1,185名 / 1,185 more');
    const actions = out.blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ elements: [{ type: 'button', action_id: EVERYONE_CSV_ACTION, url: EXPORT_LINK.url, text: { text: '全員の一覧（CSV） / Everyone (CSV)' } }] });
    expect(all).toContain('2026/11/25 18:45 JST');
  });

  it('only the exceptions: acknowledged rows on the page are left out and nothing is "more"', () => {
    const view = statusPage({ failed: 1, posted: 2, queued: 0, acknowledged: 14 }, EXCEPTIONS_MAX);
    expect(view.rows).toHaveLength(17);
    const all = texts(renderStatusExceptions(view, { link: EXPORT_LINK }).blocks);
    expect([...all.matchAll(/\*自治体\d+ \/ Municipality \d+\*/g)]).toHaveLength(3);
    expect(all).not.toContain('受領確認済み / Acknowledged —');
    expect(all).not.toContain('more');
  });

  it('everyone acknowledged: says so', () => {
    const all = texts(renderStatusExceptions(statusPage({ failed: 0, posted: 0, queued: 0, acknowledged: 17 }, EXCEPTIONS_MAX), { link: EXPORT_LINK }).blocks);
    expect(all).toContain('配信失敗・未確認の構成員はいません。 / No member has failed or is silent.');
  });

  it('no public URL: no button, the export command instead', () => {
    const out = renderStatusExceptions(statusPage({ failed: 1, posted: 30, queued: 0, acknowledged: 0 }, EXCEPTIONS_MAX), { link: { path: EXPORT_LINK.path, expiresAt: EXPORT_LINK.expiresAt } });
    expect(out.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(texts(out.blocks)).toContain('全員の一覧: /advisory export ADV-2026-0042 / Everyone: /advisory export ADV-2026-0042');
    expect(texts(out.blocks)).toContain('ほか 11名 / 11 more');
  });

  it('a member who wrote in the thread can be read from here even when acknowledged (not listed as an exception)', () => {
    const view = statusPage({ failed: 0, posted: 1, queued: 0, acknowledged: 2 }, 100);
    const replied = { ...view, rows: view.rows.map((r) => (r.state === 'acknowledged' ? { ...r, replies: { count: 2, deleted: 0, latest: { by: '佐藤', at: '2026-11-25T09:05:00.000Z', firstLine: '対応済みです', edited: false } } } : r)) };
    const out = renderStatusExceptions(replied, { link: EXPORT_LINK });
    const all = texts(out.blocks);
    expect([...all.matchAll(/\*自治体\d+ \/ Municipality \d+\*/g)]).toHaveLength(1);
    expect(JSON.stringify(out.blocks)).toContain('static_select');
    // More exceptions than shown are cut at 20, whatever the page holds.
    const big = statusPage({ failed: 0, posted: 60, queued: 0, acknowledged: 0 }, 100);
    expect([...texts(renderStatusExceptions(big, { link: EXPORT_LINK }).blocks).matchAll(/\*自治体\d+ \/ Municipality \d+\*/g)]).toHaveLength(EXCEPTIONS_MAX);
  });
});
