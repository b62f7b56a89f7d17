/**
 * A drill end to end on Teams, through the real /api/messages endpoint with the fake Bot Connector on loopback (and
 * the Slack members on the fake Slack): `advisory drill` answers with the form filled in from the drill template;
 * the secretariat announces it for a window that has already begun and sends it. Each targeted Teams member channel
 * gets the announcement card, then the drill numbered DRL-…; the silent member's task lands on the phone-task board
 * in the Teams on-call channel; every one of those cards carries the drill banner and its notification the tag.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRILL_ANNOUNCE, FORM_INPUT } from '../../../adapters/teams/advisory-form-card.js';
import { DEFAULT_DRILL_TEMPLATE } from '../../../src/domain/drill-template.js';
import { tokyoParts } from '../../../src/domain/drill-plan.js';
import { T } from '../../../src/i18n/text.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Harness } from '../../support/bot-harness.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { writeFastPolicies } from '../../support/fast-policies.js';
import { TEAMS, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';
import { adaptiveCardOf, answeredCard, executes } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };

let e2e: TeamsE2e;
let h: Harness;
let store: SqliteStore;

beforeAll(async () => {
  e2e = await startTeamsE2e({ env: async (dir) => ({ ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')), STATUS_CARD_INTERVAL_SECONDS: '1' }) });
  ({ h, store } = e2e);
}, 60_000);
afterAll(() => e2e?.close());

/** Every element of a card with this `type`. */
function elements(node: unknown, type: string, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, type, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === type) out.push(o);
    Object.values(o).forEach((v) => elements(v, type, out));
  }
  return out;
}
const inputValue = (node: unknown, id: string) => [...elements(node, 'Input.Text'), ...elements(node, 'Input.ChoiceSet'), ...elements(node, 'Input.Toggle'), ...elements(node, 'Input.Date'), ...elements(node, 'Input.Time')].find((x) => x['id'] === id)?.['value'];
const cardOf = adaptiveCardOf;
const cardsFor = (conversationId: string, advisoryId: string) => h.connector!.activities(conversationId).filter((a) => JSON.stringify(cardOf(a) ?? {}).includes(advisoryId));

/** The card says it is a drill: the banner in it, the tag in the activity's summary (the notification's text). */
function expectDrill(a: StoredActivity): void {
  expect(JSON.stringify(cardOf(a))).toContain(T.drillBanner.ja);
  expect(String((a as { summary?: string }).summary ?? '')).toMatch(/^\[TLP:[A-Z+]+\] 【訓練】\[DRILL\] /);
}

describe('a drill on Teams', () => {
  it('`advisory drill` answers with the form filled in from the template; sending it announced gives a DRL-… drill, told first, labelled everywhere', async () => {
    const id = `act-${randomUUID()}`;
    const res = await h.teams!.send({ ...h.teams!.base(TEAMS.secretariat.channel, SECRETARIAT, TEAMS.secretariat.team), id, type: 'message', text: 'advisory drill' });
    expect(res.status).toBe(200);
    const call = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === id), { description: 'the drill form' });
    const form = cardOf(call.body as StoredActivity);
    expect(inputValue(form, FORM_INPUT.title)).toBe(DEFAULT_DRILL_TEMPLATE.title);
    expect(inputValue(form, FORM_INPUT.drill)).toBe('true');
    expect(inputValue(form, FORM_INPUT.drillAnnounce)).toBe('unannounced');
    expect(typeof inputValue(form, FORM_INPUT.drillFromDate)).toBe('string');
    const review = executes(form).find((x) => x.verb === 'advisory_preview')!;

    // The form as Teams submits it: every input's value, here announcing a window that began this minute
    // (Teams' time input has minutes), so the drill goes out right after the announcement.
    const now = new Date();
    const from = tokyoParts(new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString());
    const to = tokyoParts(new Date(now.getTime() + 3_600_000).toISOString());
    const title = `【訓練】Teams 訓練 ${randomUUID().slice(0, 8)}`;
    const values: Record<string, unknown> = {
      ...Object.fromEntries(
        [FORM_INPUT.body, FORM_INPUT.tlp, FORM_INPUT.category, FORM_INPUT.source, FORM_INPUT.ackDeadline, FORM_INPUT.drill].map((k) => [k, inputValue(form, k)]),
      ),
      [FORM_INPUT.title]: title,
      [FORM_INPUT.severity]: 'level3',
      [FORM_INPUT.targets]: '',
      [FORM_INPUT.organisations]: 'jda,jpa',
      [FORM_INPUT.drillAnnounce]: DRILL_ANNOUNCE,
      [FORM_INPUT.drillFromDate]: from.date,
      [FORM_INPUT.drillFromTime]: from.time,
      [FORM_INPUT.drillToDate]: to.date,
      [FORM_INPUT.drillToTime]: to.time,
    };
    const messageId = `form-${id}`;
    const reviewed = await h.teams!.execute(TEAMS.secretariat.channel, SECRETARIAT, 'advisory_preview', { ...review.data, ...values }, messageId, TEAMS.secretariat.team);
    const preview = answeredCard(reviewed.body);
    expect(JSON.stringify(preview)).toContain('DRL-');
    expect(JSON.stringify(preview)).toContain('今すぐ予告し');
    const send = executes(preview).find((x) => x.verb === 'advisory_send')!;
    const sent = await h.teams!.execute(TEAMS.secretariat.channel, SECRETARIAT, 'advisory_send', send.data, messageId, TEAMS.secretariat.team);
    const sentCard = JSON.stringify(answeredCard(sent.body));
    const advisoryId = /DRL-\d{4}-\d{4}/.exec(sentCard)![0];
    expect(sentCard).toContain('を予告しました');
    expect(await store.getAdvisory(advisoryId)).toMatchObject({ title, drill: true, drillPlan: { announced: { window: { to: new Date(`${to.date}T${to.time}:00+09:00`).toISOString() } } } });

    // Each Teams member channel: the announcement card first, then the drill's; both say 【訓練】.
    for (const channel of [TEAMS.jda.channel, TEAMS.jpa.channel]) {
      const [announcement, drill] = await h.connector!.waitFor(() => {
        const cards = cardsFor(channel, advisoryId);
        return cards.length >= 2 && cards;
      }, { timeoutMs: 20_000, description: `the announcement and the drill in ${channel}` });
      expect(JSON.stringify(cardOf(announcement!))).toContain('訓練の予告');
      expect(JSON.stringify(cardOf(announcement!))).toContain('TLP:GREEN');
      expectDrill(announcement!);
      expect(JSON.stringify(cardOf(drill!))).toContain(title);
      expectDrill(drill!);
    }
    // Nobody acknowledges: the phone-task board in the Teams on-call channel, and the secretariat's card, say so too.
    const board = await h.connector!.waitFor(() => cardsFor(TEAMS.oncall.channel, advisoryId)[0], { timeoutMs: 20_000, description: 'the board' });
    expectDrill(board);
    const card = await h.connector!.waitFor(() => cardsFor(TEAMS.secretariat.channel, advisoryId).find((a) => JSON.stringify(cardOf(a)).includes('注意喚起を発信しました')), { description: 'the card' });
    expectDrill(card);
    expect((await store.listAudit(advisoryId)).filter((e) => e.action === 'drill.announced').map((e) => (e.detail as { memberId: string }).memberId).sort()).toEqual(
      (await store.listDeliveries(advisoryId)).map((d) => d.memberId).sort(),
    );
  }, 60_000);
});
