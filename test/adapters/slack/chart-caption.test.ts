/** The words around a picture on Slack: the file's title, the sharing message (mrkdwn), the alt text; within limits. */
import { describe, expect, it } from 'vitest';
import { ALT_TEXT_MAX, chartCaption } from '../../../adapters/slack/chart-caption.js';
import type { ImageView } from '../../../src/view/views.js';

const view = (patch: Partial<ImageView> = {}): ImageView => ({
  kind: 'reach_chart',
  advisoryId: 'ADV-2026-0042',
  title: 'VPN 装置の脆弱性',
  tlp: 'TLP:RED',
  severity: 'level4',
  drill: false,
  heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
  altText: { ja: '代替', en: 'alt' },
  ...patch,
});

describe('chartCaption', () => {
  it('puts the label first in the title and the message, the heading and the escaped title last', () => {
    const c = chartCaption(view({ title: '<@U123> & <https://evil|bank> @here' }));
    expect(c.title).toBe('[TLP:RED] ADV-2026-0042 受領確認の推移 / Share acknowledged over time');
    expect(c.comment.split('\n')).toEqual([
      '🟥 *TLP:RED* — 受信者限り / For the named recipients only',
      '📈 *受領確認の推移 / Share acknowledged over time*: ADV-2026-0042 &lt;@U123&gt; &amp; &lt;https://evil|bank&gt; @\u2060here',
    ]);
    expect(c.altText).toBe('代替 / alt');
  });

  it("a drill's: the tag in the title, the banner under the label", () => {
    const c = chartCaption(view({ drill: true, tlp: 'TLP:GREEN' }));
    expect(c.title.startsWith('[TLP:GREEN] 【訓練】[DRILL] ')).toBe(true);
    expect(c.comment.split('\n')[1]).toBe('🚧 *【訓練】これは訓練です / [DRILL] This is a drill* 🚧');
  });

  it('keeps each part within its limit, marking the cut', () => {
    const c = chartCaption(view({ title: 'あ'.repeat(5_000), altText: { ja: 'い'.repeat(2_000), en: 'x' } }));
    expect(c.comment.length).toBeLessThanOrEqual(3_000);
    expect(c.comment.endsWith('…')).toBe(true);
    expect(c.altText).toHaveLength(ALT_TEXT_MAX);
    expect(c.altText.endsWith('…')).toBe(true);
    expect(chartCaption(view({ advisoryId: 'X'.repeat(400) })).title.length).toBeLessThanOrEqual(250);
  });
});
