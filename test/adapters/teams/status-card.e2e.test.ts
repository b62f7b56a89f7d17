/**
 * The secretariat's live status card on Teams, end to end: the mixed directory's secretariat has a Teams channel
 * beside its Slack one, so the "issued" notice is a card there too, edited in place (updateActivity on the fake Bot
 * Connector) as members acknowledge. A burst of acknowledgements (pressed on Slack by Slack members) is coalesced:
 * at most one edit per interval of STATUS_CARD_INTERVAL_SECONDS (here 1 s), and the last shows the final counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../../adapters/slack/advisory-modal.js';
import { ADVISORY_CONFIRM_CALLBACK } from '../../../adapters/slack/preview-blocks.js';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../../support/advisory-form.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { TEAMS } from '../../support/mixed-directory.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';

const SECRETARIAT = 'U0SEC00001';
const MEMBERS = ['jma', 'jna', 'jmha', 'ajha', 'jamc']; // on Slack in the mixed directory
const INTERVAL_MS = 1_000;

let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  h = await startHarness({ teams: true, env: { STATUS_CARD_INTERVAL_SECONDS: String(INTERVAL_MS / 1000) } });
  queues = watchQueues(REDIS_URL, h.prefix);
  expect((await h.teams!.install(TEAMS.secretariat.team, TEAMS.secretariat.team)).status).toBe(200);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
});

async function issue(fields: FormFields): Promise<void> {
  const viewId = `V${Date.now()}`;
  const first = await h.slack.viewSubmission({ userId: SECRETARIAT, userName: '事務局 担当A', viewId, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
  expect(first.status).toBe(200);
  const preview = first.json as { view?: { private_metadata?: string } };
  const sent = await h.slack.viewSubmission({ userId: SECRETARIAT, userName: '事務局 担当A', viewId, callbackId: ADVISORY_CONFIRM_CALLBACK, privateMetadata: preview.view?.private_metadata ?? '', values: formValues(fields) });
  expect(sent.status).toBe(200);
}

/** The card's text as a person reads it (Markdown escapes removed). */
const cardText = (a: StoredActivity): string => JSON.stringify(a.attachments ?? []).replace(/\\\\(.)/g, '$1');

describe('the live status card on Teams', () => {
  it('a burst of acknowledgements: the Teams card is edited at most once per interval, and the last edit shows the final counts', async () => {
    const title = `E2E Teams 状況カード ${Date.now()}`;
    await issue({ ...VALID_FORM, title, allMembers: false, members: MEMBERS });
    const posts = await h.fake.waitFor(() => {
      const channels = [...new Set(h.fake.callsTo('chat.postMessage').map((c) => String(c.params['channel'] ?? '')))];
      const found = channels.flatMap((ch) => h.fake.messages(ch)).filter((m) => m.text.includes(title) && m.metadata?.event_payload['kind'] === 'advisory');
      return found.length >= MEMBERS.length && found;
    }, { timeoutMs: 20_000, description: `${MEMBERS.length} posts` });
    expect(posts).toHaveLength(MEMBERS.length);
    const advisoryId = String(posts[0]!.metadata!.event_payload['advisory_id']);
    const conversation = TEAMS.secretariat.channel;
    const cardNow = () => h.connector!.activities(conversation).find((a) => cardText(a).includes(advisoryId) && cardText(a).includes('Advisory issued'));
    const card = await h.fake.waitFor(() => {
      const c = cardNow();
      return c && cardText(c).includes(`受領確認 0/${MEMBERS.length}`) && c;
    }, { timeoutMs: 15_000, description: 'the Teams card with every copy posted' });
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify'] });

    const editsOfCard = () => h.connector!.callsTo('updateActivity').filter((c) => c.activityId === card.id).length;
    const before = editsOfCard();
    const start = Date.now();
    const presses = await Promise.all(
      posts.map((p, i) =>
        h.slack.buttonPress({
          userId: `U0TACK${String(i).padStart(4, '0')}`,
          userName: `member ${i}`,
          channelId: p.channel,
          messageTs: p.ts,
          actionId: ACK_ACTION_ID,
          value: String(p.metadata!.event_payload['delivery_id']),
          responseUrl: h.fake.responseUrl(`teams-card-ack-${i}`),
        }),
      ),
    );
    expect(presses.map((r) => r.status)).toEqual(posts.map(() => 200));

    const final = await h.fake.waitFor(() => {
      const c = cardNow();
      return c && cardText(c).includes('🏁') && c;
    }, { timeoutMs: 30_000, description: 'the Teams card showing the closing' });
    await queues.waitIdle({ queues: ['deliver', 'refresh', 'notify'], timeoutMs: 30_000 });
    const end = Date.now();

    const text = cardText(cardNow()!);
    expect(text).toContain(`受領確認 ${MEMBERS.length}/${MEMBERS.length}`);
    expect(text).toContain(`acknowledged ${MEMBERS.length} of ${MEMBERS.length}`);
    expect(text).toContain('注意喚起を終了しました（全構成員が受領確認）');
    expect(text).not.toContain('未確認 ');
    expect(final.id).toBe(card.id);
    const edits = editsOfCard() - before;
    expect(edits).toBeGreaterThanOrEqual(1);
    expect(edits).toBeLessThanOrEqual(Math.floor((end - start) / INTERVAL_MS) + 2);
    // One card, edited in place.
    expect(h.connector!.activities(conversation).filter((a) => cardText(a).includes(advisoryId) && cardText(a).includes('Advisory issued'))).toHaveLength(1);
  }, 90_000);
});
