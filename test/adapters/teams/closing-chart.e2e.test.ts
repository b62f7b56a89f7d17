/**
 * The reach chart with the closing summary on Teams, end to end: the bot as production composes it (the Bot Framework
 * endpoint, BullMQ workers on Redis, the embedded store) against the fake Bot Connector, with the mixed directory (the
 * secretariat in a Teams channel and a Slack one). The secretariat types `advisory close <id>` and presses the form's
 * button; its Teams channel gets the summary and, after it, the chart inline (an Image in a card, the PNG as a data
 * URI), and its Slack channel gets the chart too: every secretariat channel whose platform can post a picture.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import type { Harness } from '../../support/bot-harness.js';
import { cardImages, type StoredActivity } from '../../support/fake-bot-connector.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import { eventually } from '../../support/eventually.js';
import { TEAMS, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';
import type { QueueWatch } from '../../support/queue-watch.js';
import { adaptiveCardOf, answeredCard, executes } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };
const ACTOR = { platform: 'teams' as const, userId: TEAMS_SECRETARIAT, name: SECRETARIAT.name };
const SLACK_SECRETARIAT_CHANNEL = 'C0SEC00001';
const JMA = 'C0JMA00001';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let e2e: TeamsE2e;
let h: Harness;
let queues: QueueWatch;
beforeAll(async () => {
  e2e = await startTeamsE2e();
  ({ h, queues } = e2e);
}, 60_000);
afterAll(() => e2e?.close());

/** `advisory close <id>` typed in the secretariat's Teams channel, and the form's button pressed. */
async function closeFromTeams(id: string): Promise<void> {
  const activityId = `act-${randomUUID()}`;
  const typed = await h.teams!.send({ ...h.teams!.base(TEAMS.secretariat.channel, SECRETARIAT, TEAMS.secretariat.team), id: activityId, type: 'message', text: `advisory close ${id}` });
  expect(typed.status).toBe(200);
  const reply = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === activityId), { description: 'the close form' });
  const [button] = executes(adaptiveCardOf(reply.body));
  expect(button).toEqual({ verb: 'advisory_lifecycle', data: { kind: 'close', advisoryId: id } });
  const pressed = await h.teams!.execute(TEAMS.secretariat.channel, SECRETARIAT, 'advisory_lifecycle', button!.data, `form-${randomUUID()}`, TEAMS.secretariat.team);
  expect(pressed.status).toBe(200);
  expect(JSON.stringify(answeredCard(pressed.body))).toContain(id);
}

const inSecretariat = () => h.connector!.activities(TEAMS.secretariat.channel);
const isSummaryOf = (a: StoredActivity, id: string) => (a.summary ?? '').includes(id) && cardImages(a).length === 0 && JSON.stringify(a.attachments).includes('終了');

describe('closing an advisory with the secretariat on Teams and Slack', () => {
  it('posts the summary, then the chart inline in a card on Teams, and the chart on Slack too', async () => {
    const { advisory } = await h.bot.core.issueAdvisory({
      actor: ACTOR,
      requestKey: `teams-closing-chart-${randomUUID()}`,
      input: { ...ISSUE_INPUT, title: 'Teams グラフ **終了**', targets: { allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] } },
    });
    const id = advisory.id;
    // jma (on Slack) acknowledges by its button; jda (on Teams) stays silent.
    const copy = await h.fake.waitFor(() => h.fake.messages(JMA).find((m) => m.metadata?.event_payload['advisory_id'] === id && m.metadata.event_payload['kind'] === 'advisory'), {
      timeoutMs: 15_000,
      description: 'the jma copy',
    });
    await h.connector!.waitFor(() => h.connector!.activities(TEAMS.jda.channel).some((a) => JSON.stringify(adaptiveCardOf(a) ?? {}).includes(id)), { timeoutMs: 15_000, description: 'the jda post' });
    const deliveryId = String(copy.metadata!.event_payload['delivery_id']);
    await h.slack.buttonPress({ userId: 'U0JMA00001', userName: '佐藤 健一', channelId: JMA, messageTs: copy.ts, actionId: ACK_ACTION_ID, value: deliveryId, responseUrl: h.fake.responseUrl(`ack-${id}`) });
    await eventually(async () => (await e2e.store.getDelivery(deliveryId))?.state === 'acknowledged', { description: 'jma acknowledged' });
    await queues.waitIdle({ description: 'the fan-out' });

    await closeFromTeams(id);
    const [summary, chart] = await h.connector!.waitFor(
      () => {
        const all = inSecretariat();
        const s = all.find((a) => isSummaryOf(a, id));
        const c = all.find((a) => (a.summary ?? '').includes(id) && cardImages(a).length > 0);
        return s && c && ([s, c] as const);
      },
      { timeoutMs: 30_000, description: `the summary and the chart of ${id} on Teams` },
    );
    await queues.waitIdle({ description: 'the closing' });

    // After the summary; one chart; the label first; the PNG of the chart, read back from the card.
    expect(Number(chart.id)).toBeGreaterThan(Number(summary.id));
    expect(inSecretariat().filter((a) => (a.summary ?? '').includes(id) && cardImages(a).length > 0)).toHaveLength(1);
    expect(chart.summary).toBe(`[TLP:AMBER] 📈 受領確認の推移 / Share acknowledged over time: ${id} Teams グラフ **終了**`);
    const [image] = cardImages(chart);
    expect(image?.where).toBe('card');
    expect(Buffer.from(image!.png.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(Buffer.from(image!.png).readUInt32BE(16)).toBeGreaterThan(640);
    expect(image?.altText).toContain('対象 2 構成員のうち受領確認 1件（50%）、未確認 1件（50%）');
    const body = JSON.stringify(adaptiveCardOf(chart));
    expect(body).toContain('TLP:AMBER');
    // The title escaped for the card: no bold from what the secretariat typed.
    expect(body).toContain('Teams グラフ \\\\*\\\\*終了\\\\*\\\\*');

    // The secretariat's Slack channel: its own summary and chart, through files.uploadV2.
    const slackChart = await h.fake.waitFor(() => h.fake.messages(SLACK_SECRETARIAT_CHANNEL).find((m) => m.files !== undefined && m.text.includes(id)), { timeoutMs: 15_000, description: 'the chart on Slack' });
    const file = h.fake.files().find((f) => f.id === slackChart.files?.[0]?.id);
    expect(Buffer.from(file!.bytes!).equals(Buffer.from(image!.png))).toBe(true);

    expect((await e2e.store.getAdvisory(id))?.closure).toMatchObject({ cause: 'command', told: { ok: true } });
  });
});
