/**
 * Every message of a drill says so on every platform: the 【訓練】/[DRILL] tag first in the notification text (after
 * the TLP label) and the 🚧 drill banner in the message. The messages are the ones a whole drill posts and edits
 * through the core (test/support/drill-run.ts), and the secretariat's notices a drill can also cause.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMessage } from '../../adapters/slack/slack-blocks.js';
import { renderTeamsMessage } from '../../adapters/teams/teams-cards.js';
import { T } from '../../src/i18n/text.js';
import type { OutboundView } from '../../src/ports/chat.js';
import type { NoticeView } from '../../src/view/views.js';
import { kindOf, runDrill, type DrillRun } from '../support/drill-run.js';

let run: DrillRun;
let messages: OutboundView[];

beforeAll(async () => {
  run = await runDrill();
  const base = { advisoryId: run.advisory.id, title: run.advisory.title, tlp: run.advisory.tlp, drill: true as const, memberName: { ja: '日本医師会', en: 'JMA' } };
  // Notices a drill can cause that this run did not (a copy that could not be updated, a step given up, the older
  // one-member alerts), and the withdrawal of a drill's copy.
  const more: NoticeView[] = [
    { ...base, kind: 'delivery_failed', reason: 'channel_gone', detail: 'channel_not_found' },
    { ...base, kind: 'escalation_alert', deliveryState: 'posted', wrongNumbers: [], attempts: 2 },
    { ...base, kind: 'sync_failed', reason: 'message_gone' },
    { ...base, kind: 'step_failed', step: 'reminder', reason: 'timeout' },
  ];
  const advisory = run.messages.find((m) => m.message.kind === 'advisory')!.message;
  const withdrawn: OutboundView[] = advisory.kind === 'advisory' ? [{ kind: 'advisory', view: { ...advisory.view, withdrawn: { at: advisory.view.issuedAt, reason: '訓練中止' } } }] : [];
  messages = [...run.messages.map((m) => m.message), ...more.map((view): OutboundView => ({ kind: 'notice', view })), ...withdrawn];
});

afterAll(async () => {
  await run.f.close();
});

const TAG = `${T.drillTag.ja}${T.drillTag.en}`;
const BANNER = T.drillBanner.ja;

describe('a drill on Slack', () => {
  it('tags the notification text and shows the banner in every message', () => {
    expect(messages.length).toBeGreaterThan(20);
    for (const m of messages) {
      const out = renderMessage(m);
      expect(out.text, kindOf(m)).toMatch(new RegExp(`^\\[TLP:[A-Z+]+\\] ${TAG.replace(/[[\]]/g, '\\$&')} `));
      expect(JSON.stringify(out), kindOf(m)).toContain(BANNER);
    }
  });

  it('announces a drill with its window, its id and what to do, labelled TLP:GREEN', () => {
    const notice = messages.find((m) => kindOf(m) === 'notice:drill_announcement')!;
    const out = renderMessage(notice);
    expect(out.text).toBe(`[TLP:GREEN] ${TAG} 📅 訓練の予告 / Drill announcement: ${run.advisory.id} (2026/12/01 10:00 JST 〜 2026/12/01 12:00 JST)`);
    const all = JSON.stringify(out.blocks);
    for (const words of ['訓練の予告', 'Drill announcement', '2026/12/01 10:00 JST 〜 2026/12/01 12:00 JST', '訓練の注意喚起', '受領確認', 'Acknowledge', 'It is not about a real incident']) {
      expect(all).toContain(words);
    }
  });
});

describe('a drill on Teams', () => {
  it('tags the notification text and shows the banner in every card', () => {
    for (const m of messages) {
      const out = renderTeamsMessage(m);
      expect(out.text, kindOf(m)).toMatch(new RegExp(`^\\[TLP:[A-Z+]+\\] ${TAG.replace(/[[\]]/g, '\\$&')} `));
      expect(JSON.stringify(out.card), kindOf(m)).toContain(BANNER);
    }
  });

  it('announces a drill with its window and what to do', () => {
    const notice = messages.find((m) => kindOf(m) === 'notice:drill_announcement')!;
    const card = JSON.stringify(renderTeamsMessage(notice).card);
    for (const words of ['訓練の予告', 'Drill announcement', '2026/12/01 10:00 JST', 'TLP:GREEN', 'Acknowledge']) expect(card).toContain(words);
  });
});
