/**
 * The secretariat's live status card, end to end on Slack: the real Bolt endpoint, real BullMQ workers on Redis,
 * the embedded store and the fake Slack Web API. The "issued" notice in the secretariat channel is edited in place
 * as members acknowledge; a burst of acknowledgements is coalesced (at most one edit per interval of
 * STATUS_CARD_INTERVAL_SECONDS, here 1 s), and the last edit shows the final counts and the closing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../../adapters/slack/advisory-modal.js';
import { ADVISORY_CONFIRM_CALLBACK } from '../../../adapters/slack/preview-blocks.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { CT } from '../../../src/i18n/chat-text.js';
import { both } from '../../../src/i18n/text.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../../support/advisory-form.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { blocksOf, sectionFields } from '../../support/slack-read.js';

const SECRETARIAT = 'U0SEC00001';
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const MEMBER_CHANNELS = 17;
const INTERVAL_MS = 1_000;

let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  h = await startHarness({ env: { STATUS_CARD_INTERVAL_SECONDS: String(INTERVAL_MS / 1000) } });
  queues = watchQueues(REDIS_URL, h.prefix);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
});

/** Form, preview, Send, as the secretariat issues. */
async function issue(fields: FormFields): Promise<void> {
  const viewId = `V${Date.now()}`;
  const first = await h.slack.viewSubmission({ userId: SECRETARIAT, userName: '事務局 担当A', viewId, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
  expect(first.status).toBe(200);
  const preview = first.json as { view?: { private_metadata?: string } };
  const sent = await h.slack.viewSubmission({
    userId: SECRETARIAT,
    userName: '事務局 担当A',
    viewId,
    callbackId: ADVISORY_CONFIRM_CALLBACK,
    privateMetadata: preview.view?.private_metadata ?? '',
    values: formValues(fields),
  });
  expect(sent.status).toBe(200);
}

/** Every mrkdwn text of a message and its fallback text, as one string. */
function textOf(m: StoredMessage): string {
  const out: string[] = [m.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['type'] === 'mrkdwn' && typeof o['text'] === 'string') out.push(o['text']);
      Object.values(o).forEach(walk);
    }
  };
  walk(m.blocks);
  return out.join('\n');
}

describe('the live status card on Slack', () => {
  it('a burst of acknowledgements: the card is edited at most once per interval, and the last edit shows the final counts', async () => {
    const title = `E2E 状況カード ${Date.now()}`;
    await issue({ ...VALID_FORM, title });
    const posts = await h.fake.waitFor(() => {
      const found = h.fake
        .callsTo('chat.postMessage')
        .map((c) => String(c.params['channel'] ?? ''))
        .filter((ch, i, all) => all.indexOf(ch) === i)
        .flatMap((ch) => h.fake.messages(ch).filter((m) => m.text.includes(title) && m.metadata?.event_payload['kind'] === 'advisory'));
      return found.length >= MEMBER_CHANNELS && found;
    }, { timeoutMs: 20_000, description: `${MEMBER_CHANNELS} posts` });
    const advisoryId = String(posts[0]!.metadata!.event_payload['advisory_id']);
    const card = await h.fake.waitFor(
      () => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => sectionFields(blocksOf(m))[both(CT.advisoryId)] === advisoryId),
      { timeoutMs: 15_000, description: 'the card' },
    );
    // Once every copy is posted, the card says so (the posts ask for an update too).
    await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => m.ts === card.ts && textOf(m).includes(`受領確認 0/${MEMBER_CHANNELS} · 未確認 ${MEMBER_CHANNELS}`)), {
      timeoutMs: 15_000,
      description: 'the card with every copy posted',
    });
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify'] });

    const updatesSince = (t: number) =>
      h.fake.callsTo('chat.update').filter((c) => c.params['channel'] === SECRETARIAT_CHANNEL && c.params['ts'] === card.ts && c.receivedAt >= t);
    const start = Date.now();
    expect(updatesSince(start)).toHaveLength(0);

    // Every member acknowledges at once.
    const presses = await Promise.all(
      posts.map((p, i) =>
        h.slack.buttonPress({
          userId: `U0ACK${String(i).padStart(5, '0')}`,
          userName: `member ${i}`,
          channelId: p.channel,
          messageTs: p.ts,
          actionId: ACK_ACTION_ID,
          value: String(p.metadata!.event_payload['delivery_id']),
          responseUrl: h.fake.responseUrl(`card-ack-${i}`),
        }),
      ),
    );
    expect(presses.map((r) => r.status)).toEqual(posts.map(() => 200));

    // The card ends showing everyone acknowledged, and that it closed.
    const final = await h.fake.waitFor(
      () => h.fake.messages(SECRETARIAT_CHANNEL).find((m) => m.ts === card.ts && textOf(m).includes('🏁')),
      { timeoutMs: 30_000, description: 'the card showing the closing' },
    );
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify'], timeoutMs: 30_000 });
    const end = Date.now();
    const text = textOf(final);
    expect(text).toContain(`*受領確認 ${MEMBER_CHANNELS}/${MEMBER_CHANNELS}*\nacknowledged ${MEMBER_CHANNELS} of ${MEMBER_CHANNELS}`);
    expect(text).not.toContain('未確認 ');
    expect(text).toContain('注意喚起を終了しました（全構成員が受領確認）');
    expect(text).toContain('🟩'.repeat(MEMBER_CHANNELS));
    expect(text).not.toContain('🟨');
    expect(final.text).toContain(`(受領確認 ${MEMBER_CHANNELS}/${MEMBER_CHANNELS} / acknowledged ${MEMBER_CHANNELS} of ${MEMBER_CHANNELS})`);

    // Coalesced: at most one edit per interval that ended while this went on, and one at either end.
    const updates = updatesSince(start);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThanOrEqual(Math.floor((end - start) / INTERVAL_MS) + 2);
    // The last edit is the final state: nothing edited the card after it showed the closing.
    const last = updates.at(-1)!;
    expect(JSON.stringify(last.params['blocks'])).toContain('🏁');
    // The card is one message, edited in place: no second "issued" notice was posted (the closing summary is its own
    // message). By its ts: the closing job edits the card once more after telling the secretariat (and its chart).
    expect(h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => m.text.includes(advisoryId) && m.text.includes(both(CT.advisoryIssued))).map((m) => m.ts)).toEqual([final.ts]);
  }, 90_000);
});
