/**
 * Teams end to end through the real /api/messages endpoint (botbuilder CloudAdapter + teams-ai),
 * with every outgoing call landing on a fake Bot Connector on loopback, and Slack members on the
 * fake Slack at the same time: install, the form card and its preview, advisory card, Action.Execute acknowledgement,
 * forgery, 429, escalation onto the phone-task board in a Teams on-call channel and claims from it. The installation is shared set-up; every
 * test issues the advisory it needs.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CT } from '../../../src/i18n/chat-text.js';
import { ADVISORY_ID_SOURCE } from '../../../src/domain/advisory.js';
import { FIELD_ERROR, FIELD_NOUN } from '../../../src/i18n/form-text.js';
import { PREVIEW_TEXT } from '../../../src/i18n/preview-text.js';
import { both, ERROR_TEXT, STATE_TEXT } from '../../../src/i18n/text.js';
import { BT } from '../../../src/i18n/board-text.js';
import { BOARD_CLAIM_ACTION } from '../../../src/view/buttons.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { startHarness, type Harness } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { writeFastPolicies } from '../../support/fast-policies.js';
import { TEAMS, TEAMS_JDA_CONTACT, TEAMS_ONCALL, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';
import { adaptiveCardOf, answeredCard, BOT_ID, executes } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';
import { ISSUE_INPUT } from '../../support/core-fixture.js';
import type { QueueWatch } from '../../support/queue-watch.js';
import { advisoryIdsMentioning } from '../../support/store-reader.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };
const ONCALL = { id: '29:onc', aadObjectId: TEAMS_ONCALL, name: '電話当番 Teams' };
const JDA_STAFF = { id: '29:jda', aadObjectId: TEAMS_JDA_CONTACT, name: '歯科 担当' };
const JPA_STAFF = { id: '29:jpa', aadObjectId: 'aad-jpa-staff', name: '薬剤 担当' };
const JPA_NAME = '公益社団法人 日本薬剤師会';
const SLACK_MEMBERS = 15; // the example's 17 members, less JDA and JPA (on Teams in the mixed directory)

let e2e: TeamsE2e;
let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;

beforeAll(async () => {
  e2e = await startTeamsE2e({ env: async (dir) => ({ ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')) }) });
  ({ h, queues, store } = e2e);
});
afterAll(() => e2e?.close());

/** Every element of a card (or any JSON) with this `type`. */
function elements(node: unknown, type: string, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(node)) node.forEach((n) => elements(n, type, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === type) out.push(o);
    Object.values(o).forEach((v) => elements(v, type, out));
  }
  return out;
}
/** Card text as a person reads it: markdown escapes removed, one entry per paragraph. */
const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
const paragraphs = (node: unknown) => elements(node, 'TextBlock').flatMap((t) => unescape(String(t['text'] ?? '')).split('\n\n'));
const facts = (node: unknown) =>
  Object.fromEntries(elements(node, 'FactSet').flatMap((f) => (f['facts'] as { title: string; value: string }[]).map((x) => [unescape(x.title), x.value])));

const card = adaptiveCardOf;
const cardsIn = (conversationId: string, marker: string) => h.connector!.activities(conversationId).filter((a) => JSON.stringify(card(a) ?? {}).includes(marker));
/**
 * The advisory's own cards only: with the fast test ladder a reminder (which names the advisory too)
 * can come while a test waits for the queues to be idle (the status card's update is a delayed job).
 */
const REMINDER = CT.reminderHeading.ja;
const advisoryCardsIn = (conversationId: string, marker: string) => cardsIn(conversationId, marker).filter((a) => !JSON.stringify(card(a) ?? {}).includes(REMINDER));

const answered = answeredCard;

/** `advisory` typed in the secretariat channel: the form card, and the key its buttons carry. */
async function openForm(from = SECRETARIAT): Promise<{ reply: unknown; formKey: string; messageId: string }> {
  const id = `act-${randomUUID()}`;
  const res = await h.teams!.send({ ...h.teams!.base(TEAMS.secretariat.channel, from, TEAMS.secretariat.team), id, type: 'message', text: 'advisory' });
  expect(res.status).toBe(200);
  const call = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === id), { description: 'the form' });
  const review = executes(card(call.body as StoredActivity)).find((x) => x.verb === 'advisory_preview');
  return { reply: call.body, formKey: String(review?.data['formKey'] ?? ''), messageId: `form-${id}` };
}

/** Press a button of the form's card (the form, or the preview that replaced it). */
function press(messageId: string, verb: string, data: Record<string, unknown>, from = SECRETARIAT) {
  return h.teams!.execute(TEAMS.secretariat.channel, from, verb, data, messageId, TEAMS.secretariat.team);
}

/** Fill in the form and press Review: the preview card (or the form with its errors). */
async function reviewFromTeams(form: Record<string, unknown>) {
  const opened = await openForm();
  const res = await press(opened.messageId, 'advisory_preview', { formKey: opened.formKey, ...form });
  expect(res.status).toBe(200);
  return { ...opened, res, preview: answered(res.body) };
}

/** Form, preview, Send: as the secretariat issues from Teams; the answer to Send. */
async function issueFromTeams(form: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const { res, preview, messageId } = await reviewFromTeams(form);
  const send = executes(preview).find((x) => x.verb === 'advisory_send');
  if (!send) return res;
  return press(messageId, 'advisory_send', send.data);
}
/** An id of either series: a drill is DRL-…. */
const advisoryIdIn = (body: unknown) => new RegExp(ADVISORY_ID_SOURCE).exec(JSON.stringify(body))![0];

/**
 * A message typed to the bot, and the bot's reply to exactly that message (not any earlier one). In a
 * channel the bot is @-mentioned, and Teams sends the mention as an entity beside the `<at>` text.
 */
async function command(conversationId: string, from: typeof SECRETARIAT, text: string, team: string): Promise<unknown> {
  const id = `act-${randomUUID()}`;
  const mention = '<at>CEPTOAR Bot</at>';
  const entities = text.includes(mention) ? [{ type: 'mention', text: mention, mentioned: { id: BOT_ID, name: 'CEPTOAR Bot' } }] : [];
  const res = await h.teams!.send({ ...h.teams!.base(conversationId, from, team), id, type: 'message', text, entities });
  expect(res.status).toBe(200);
  const reply = await h.connector!.waitFor((calls) => calls.find((c) => c.operation === 'replyToActivity' && c.activityId === id), { description: `reply to "${text}"` });
  return reply.body;
}

/** Issued through the core to JPA alone, left silent: its phone step puts it on the board in the on-call channel. */
async function issueToBoard(title: string): Promise<{ advisoryId: string; board: StoredActivity; taskId: string }> {
  const { advisory } = await h.bot.core.issueAdvisory({
    actor: { platform: 'teams', userId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' },
    requestKey: `teams-phone-${randomUUID()}`,
    input: { ...ISSUE_INPUT, title, severity: 'level3', targets: { allMembers: false, observers: false, groups: [], members: ['jpa'] } },
  });
  const board = await h.connector!.waitFor(() => cardsIn(TEAMS.oncall.channel, title)[0], { timeoutMs: 20_000, description: `the phone-task board of ${title}` });
  const choices = elements(card(board), 'Input.ChoiceSet')[0]?.['choices'] as { value: string }[] | undefined;
  expect(choices).toHaveLength(1);
  return { advisoryId: advisory.id, board, taskId: choices![0]!.value };
}

/** The claimer's copy of a task: the 1:1 chat the bot opened with them (through createConversation) and the card there. */
function copyFor(memberId: string, marker: string): Promise<{ dm: string; copy: StoredActivity }> {
  return h.connector!.waitFor(
    () => {
      const dm = h.connector!.createdConversations().find((c) => c.memberId === memberId);
      const copy = dm && cardsIn(dm.id, marker)[0];
      return copy && { dm: dm.id, copy };
    },
    { timeoutMs: 15_000, description: `the copy of ${marker} for ${memberId}` },
  );
}

/** The board message in the on-call channel, as it reads now (updates applied), has a paragraph with `text`. */
function boardShows(boardId: string, text: string): boolean {
  const a = h.connector!.activities(TEAMS.oncall.channel).find((x) => x.id === boardId);
  return a !== undefined && paragraphs(card(a)).some((p) => p.includes(text));
}

/** Acknowledge JPA's delivery, so the advisory's ladder does not run on behind later tests. */
async function stopLadder(advisoryId: string): Promise<void> {
  const jpa = (await store.listDeliveries(advisoryId)).find((d) => d.memberId === 'jpa')!;
  await h.bot.core.acknowledgeDelivery({ deliveryId: jpa.id, actor: { platform: 'teams', userId: 'aad-jpa-staff', name: '薬剤 担当' }, via: 'button' });
}

const FORM = {
  title: 'Teams 混在配信',
  body: '**太字** と [リンク](https://evil.example) と <at>everyone</at>',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  source: 'nisc',
  targets: 'all_members',
  ack_deadline: 'default',
  drill: 'false',
};

describe('Teams', () => {
  it('records the installation', async () => {
    const record = await h.bot.core.findConversation('teams', TEAMS.secretariat.team);
    expect(record).toMatchObject({ platform: 'teams', serviceUrl: h.connector!.serviceUrl, teamId: TEAMS.secretariat.team, removed: false });
  });

  it('refuses the form to a non-secretariat user and offers it to the secretariat, as a card (no dialog)', async () => {
    const refused = await command(TEAMS.jda.channel, JDA_STAFF, 'advisory', TEAMS.jda.team);
    expect(JSON.stringify(refused)).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    expect(JSON.stringify(refused)).not.toContain('公益社団法人 日本医師会');
    const offered = await openForm();
    const text = JSON.stringify(offered.reply);
    expect(text).toContain('application/vnd.microsoft.card.adaptive');
    expect(text).toContain('公益社団法人 日本医師会');
    expect(offered.formKey).toMatch(/^[0-9a-f-]{36}$/);
    // A dialog button or dialog of an earlier release says how to get the form now, and issues nothing.
    const marker = `TEAMS-OLD-DIALOG-${randomUUID()}`;
    const fetched = await h.teams!.invoke(TEAMS.secretariat.channel, SECRETARIAT, 'task/fetch', { data: { verb: 'advisory_form' } }, { team: TEAMS.secretariat.team });
    expect(JSON.stringify(fetched.body)).toContain(PREVIEW_TEXT.formMoved.ja);
    const submitted = await h.teams!.invoke(TEAMS.secretariat.channel, SECRETARIAT, 'task/submit', { data: { verb: 'advisory_issue', ...FORM, title: marker } }, { team: TEAMS.secretariat.team });
    expect(JSON.stringify(submitted.body)).toContain(PREVIEW_TEXT.formMoved.ja);
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
  });

  it('answers Review with a preview card, Back with the form as entered, and sends nothing until Send', async () => {
    const marker = `TEAMS-PREVIEW-${randomUUID()}`;
    // Level 1 without escalation: the member left to the phone ends as a failure notice, no ladder runs on.
    const form = { ...FORM, title: `Teams 確認 ${marker}`, tlp: 'TLP:RED', severity: 'level1', no_escalate: 'true', targets: '', target_organisations: 'jda,jpa,jma', drill: 'true' };
    const { messageId, formKey } = await openForm();
    const before = { teams: h.connector!.calls.length, slack: h.fake.calls.length };
    const preview = answered((await press(messageId, 'advisory_preview', { formKey, ...form })).body);
    const lines = paragraphs(preview);
    expect(lines).toContain(`• 配信 3 件（3 団体） / 3 deliveries (3 organisations)`);
    expect(lines).toContain('• Slack: 個別メッセージ 1 件（1 配信） / Slack: 1 direct message (1 delivery)');
    expect(lines).toContain('• Microsoft Teams: 個別メッセージ 1 件（2 配信） / Microsoft Teams: 1 direct message (2 deliveries)');
    // JPA's contacts have no Teams id: under TLP:RED they can only be phoned.
    expect(lines.some((l) => l.startsWith('⚠️ 公益社団法人 日本薬剤師会（Microsoft Teams）'))).toBe(true);
    expect(facts(preview)['訓練 / Drill']).toBe('訓練として送信します（予告なし・抜き打ち） / Sent as a drill, unannounced');
    // The member's card as it will look, without a button that could acknowledge anything; a drill is numbered DRL-….
    expect(JSON.stringify(preview)).toContain('DRL-2026-????');
    expect(executes(preview).map((x) => x.verb).sort()).toEqual(['advisory_back', 'advisory_send']);
    // Nothing stored, queued or sent anywhere by the preview.
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
    expect(h.connector!.calls.slice(before.teams)).toEqual([]);
    expect(h.fake.calls.slice(before.slack)).toEqual([]);

    // Back: the form again, every input as entered, with the same key.
    const back = executes(preview).find((x) => x.verb === 'advisory_back')!;
    const form2 = answered((await press(messageId, 'advisory_back', back.data)).body);
    const values = Object.fromEntries(elements(form2, 'Input.Text').concat(elements(form2, 'Input.ChoiceSet'), elements(form2, 'Input.Toggle')).map((x) => [x['id'], x['value']]));
    expect(values).toMatchObject({ title: form.title, body: form.body, tlp: 'TLP:RED', severity: 'level1', category: 'vulnerability', source: 'nisc', target_organisations: 'jda,jpa,jma', ack_deadline: 'default', drill: 'true', no_escalate: 'true' });
    expect(executes(form2)).toEqual([{ verb: 'advisory_preview', data: { formKey } }]);

    // Send from the preview: issued once, however often it is pressed.
    const send = executes(preview).find((x) => x.verb === 'advisory_send')!;
    const sent = await press(messageId, 'advisory_send', send.data);
    const advisoryId = advisoryIdIn(sent.body);
    expect(paragraphs(answered(sent.body)).join('\n')).toContain(`${PREVIEW_TEXT.sent.ja}`);
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([advisoryId]);
    const again = await press(messageId, 'advisory_send', send.data, { ...SECRETARIAT, id: '29:sec2' });
    expect(advisoryIdIn(again.body)).toBe(advisoryId);
    await queues.waitIdle({ timeoutMs: 20_000 });
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([advisoryId]);
    expect((await store.getAdvisory(advisoryId))?.requestKey).toBe(`teams-form.${formKey}`);
  });

  it('shows the new preview instead of sending when what was reviewed no longer matches, and refuses outsiders', async () => {
    const marker = `TEAMS-STALE-${randomUUID()}`;
    const { preview, messageId } = await reviewFromTeams({ ...FORM, title: `Teams 変更 ${marker}`, targets: '', target_organisations: 'jda' });
    const send = executes(preview).find((x) => x.verb === 'advisory_send')!;
    const stale = answered((await press(messageId, 'advisory_send', { ...send.data, digest: 'not-what-was-shown' })).body);
    expect(paragraphs(stale).some((p) => p.includes(PREVIEW_TEXT.changed.ja))).toBe(true);
    expect(executes(stale).find((x) => x.verb === 'advisory_send')?.data['digest']).toBe(send.data['digest']);
    const outsider = await press(messageId, 'advisory_send', send.data, JDA_STAFF);
    expect(JSON.stringify(outsider.body)).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    const keyless = await press(messageId, 'advisory_send', { ...send.data, formKey: 'x' });
    expect(JSON.stringify(keyless.body)).toContain(PREVIEW_TEXT.formStale.ja);
    await queues.waitIdle();
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
  });

  it('searches organisations as the secretariat types (large sectors), and nobody else', async () => {
    const search = (who: typeof SECRETARIAT) =>
      h.teams!.invoke(TEAMS.secretariat.channel, who, 'application/search', { queryText: '日本医', dataset: 'ceptoar.organisations' }, { team: TEAMS.secretariat.team });
    const found = (await search(SECRETARIAT)).body as { value: { results: { value: string }[] } };
    expect(found.value.results.map((r) => r.value)).toContain('jma');
    const refused = (await search(JDA_STAFF)).body as { value: { results: unknown[] } };
    expect(refused.value.results).toEqual([]);
  });

  it('returns the form with every error when the submission is invalid', async () => {
    const marker = `TEAMS-INVALID-${randomUUID()}`;
    const opened = await openForm();
    const before = { teams: h.connector!.calls.length, slack: h.fake.calls.length };
    const res = await press(opened.messageId, 'advisory_preview', { formKey: opened.formKey, ...FORM, title: '', body: marker, tlp: '', targets: '' });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('application/vnd.microsoft.card.adaptive'); // the form again
    // The summary lists each problem once: title, TLP, targets.
    const bullets = paragraphs(res.body).filter((p) => p.startsWith('• '));
    expect(bullets).toHaveLength(3);
    for (const message of [FIELD_ERROR.required(FIELD_NOUN.title), FIELD_ERROR.choose(FIELD_NOUN.tlp), FIELD_ERROR.noTarget]) {
      expect(bullets.filter((b) => b.includes(message.ja))).toHaveLength(1);
    }
    // Nothing issued: nothing stored, and once every job has run nothing was sent anywhere.
    expect(advisoryIdsMentioning(h.dataDir, marker)).toEqual([]);
    await queues.waitIdle();
    // Not to any member, nor an "issued" notice to the secretariat (on Teams or Slack).
    const teamsSent = h.connector!.calls.slice(before.teams).filter((c) => c.method === 'POST');
    expect(teamsSent.filter((c) => JSON.stringify(c.body).includes(marker) || c.conversationId?.startsWith(TEAMS.secretariat.channel))).toEqual([]);
    const slackSent = h.fake.calls.slice(before.slack).filter((c) => c.method === 'chat.postMessage');
    expect(slackSent.filter((c) => JSON.stringify(c.params).includes(marker) || c.params['channel'] === 'C0SEC00001')).toEqual([]);
  });

  it('reaches Slack and Teams members with one advisory, and a Teams press acknowledges once', async () => {
    const res = await issueFromTeams(FORM);
    expect(res.status).toBe(200);
    const advisoryId = advisoryIdIn(res.body);
    const [jda] = await h.connector!.waitFor(() => cardsIn(TEAMS.jda.channel, 'Teams 混在配信').length > 0 && cardsIn(TEAMS.jda.channel, 'Teams 混在配信'), { timeoutMs: 15_000, description: 'card in JDA channel' });
    await h.connector!.waitFor(() => cardsIn(TEAMS.jpa.channel, 'Teams 混在配信').length > 0);
    await h.fake.waitFor(() => h.fake.messages('C0JMA00001').some((m) => m.text.includes('Teams 混在配信')), { timeoutMs: 15_000 });
    await queues.waitIdle({ timeoutMs: 20_000 });
    // One advisory: the same id on both platforms, one post per member channel.
    const slackPosts = h.fake.callsTo('chat.postMessage').filter((c) => (c.params['metadata'] as { event_payload?: Record<string, unknown> } | undefined)?.event_payload?.['kind'] === 'advisory' && String(c.params['text']).includes('Teams 混在配信'));
    expect(slackPosts).toHaveLength(SLACK_MEMBERS);
    expect(new Set(slackPosts.map((c) => (c.params['metadata'] as { event_payload: Record<string, unknown> }).event_payload['advisory_id']))).toEqual(new Set([advisoryId]));
    expect(advisoryCardsIn(TEAMS.jda.channel, 'Teams 混在配信')).toHaveLength(1);
    expect(advisoryCardsIn(TEAMS.jpa.channel, 'Teams 混在配信')).toHaveLength(1);
    expect((await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId)).counts).toMatchObject({ total: SLACK_MEMBERS + 2, posted: SLACK_MEMBERS + 2 });
    // User text cannot become a link, emphasis or a mention in the card.
    const content = JSON.stringify(card(jda!));
    expect(content).not.toContain('[リンク](https://evil.example)');
    expect(content).not.toMatch(/<at>everyone<\/at>/);

    const ack = executes(card(jda!)).find((e) => e.verb === 'advisory_ack')!;
    const press = (who: typeof JDA_STAFF) =>
      h.teams!.execute(`${TEAMS.jda.channel};messageid=${jda!.id}`, who, 'advisory_ack', ack.data, jda!.id, TEAMS.jda.team);
    const updates = () => h.connector!.calls.filter((c) => c.operation === 'updateActivity' && c.activityId === jda!.id).length;
    const deliveryId = String(ack.data['deliveryId']);
    const audit = async (action: string) => (await store.listAudit(advisoryId)).filter((a) => a.deliveryId === deliveryId && a.action === action);
    expect(updates()).toBe(0);

    const first = await press(JDA_STAFF);
    expect(first.status).toBe(200);
    // The invoke's answer is the card as it is now: acknowledged, no button.
    expect(JSON.stringify(first.body)).toContain('歯科 担当');
    expect(executes((first.body as { value?: unknown }).value).some((e) => e.verb === 'advisory_ack')).toBe(false);
    // The card is updated for everyone by the refresh job (PUT on the connector), once.
    await h.connector!.waitFor(() => updates() > 0, { description: 'JDA card updated' });
    await queues.waitIdle();
    expect(updates()).toBe(1);

    // The same person again: a repeat. The same card back; nothing stored, audited or re-sent.
    const again = await press(JDA_STAFF);
    expect(again.status).toBe(200);
    expect(JSON.stringify(again.body)).toContain('歯科 担当');
    expect(executes((again.body as { value?: unknown }).value).some((e) => e.verb === 'advisory_ack')).toBe(false);
    await queues.waitIdle();
    expect(updates()).toBe(1);
    expect(await audit('delivery.acknowledged')).toHaveLength(1);
    expect(await audit('delivery.seen')).toHaveLength(0);
    expect(await store.listAcknowledgements(deliveryId)).toHaveLength(1);

    const status = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
    expect(status.rows.find((r) => r.memberId === 'jda')).toMatchObject({ state: 'acknowledged', acknowledgedBy: '歯科 担当', via: 'button' });
    expect(status.counts.acknowledged).toBe(1);
  });

  it("refuses a press that claims another conversation's delivery", async () => {
    const res = await issueFromTeams({ ...FORM, title: 'Teams なりすまし', targets: '', target_organisations: 'jda,jpa' });
    const advisoryId = advisoryIdIn(res.body);
    const [jpa] = await h.connector!.waitFor(() => cardsIn(TEAMS.jpa.channel, 'Teams なりすまし').length > 0 && cardsIn(TEAMS.jpa.channel, 'Teams なりすまし'), { timeoutMs: 15_000, description: 'card in JPA channel' });
    await h.connector!.waitFor(() => cardsIn(TEAMS.jda.channel, 'Teams なりすまし').length > 0, { timeoutMs: 15_000, description: 'card in JDA channel' });
    const jpaAck = executes(card(jpa!)).find((e) => e.verb === 'advisory_ack')!;
    expect(String(jpaAck.data['deliveryId']).startsWith(`${advisoryId}.jpa.`)).toBe(true);
    // From JDA's channel, pointing at JPA's message and delivery: nothing in JDA's channel matches.
    const forged = await h.teams!.execute(`${TEAMS.jda.channel};messageid=${jpa!.id}`, JDA_STAFF, 'advisory_ack', jpaAck.data, jpa!.id, TEAMS.jda.team);
    expect(JSON.stringify(forged.body)).toContain(ERROR_TEXT['DELIVERY.NOT_FOUND'].ja);
    const status = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
    expect(status.counts).toMatchObject({ total: 2, acknowledged: 0 });
    expect(status.rows.find((r) => r.memberId === 'jpa')?.state).toBe('posted');
  });

  it('holds back only the throttled conversation on a 429', async () => {
    h.connector!.failNext({ conversationId: TEAMS.jpa.channel, status: 429, retryAfterSec: 1 });
    const res = await issueFromTeams({ ...FORM, title: 'Teams 429', targets: '', target_organisations: 'jda,jpa,jma' });
    expect(res.status).toBe(200);
    await h.connector!.waitFor(() => cardsIn(TEAMS.jpa.channel, 'Teams 429').length === 1, { timeoutMs: 15_000, description: 'JPA posted after its wait' });
    await queues.waitIdle();
    expect(advisoryCardsIn(TEAMS.jpa.channel, 'Teams 429')).toHaveLength(1);
    expect(advisoryCardsIn(TEAMS.jda.channel, 'Teams 429')).toHaveLength(1);
    const jpaCalls = h.connector!.calls.filter((c) => c.conversationId === TEAMS.jpa.channel && JSON.stringify(c.body).includes('Teams 429') && !JSON.stringify(c.body).includes(REMINDER));
    expect(jpaCalls.map((c) => (c.outcome === 'dropped' ? 'dropped' : c.outcome?.status))).toEqual([429, 200]);
    const jdaCall = h.connector!.calls.find((c) => c.conversationId === TEAMS.jda.channel && JSON.stringify(c.body).includes('Teams 429'))!;
    expect(jdaCall.seq).toBeLessThan(jpaCalls[1]!.seq);
  });

  it('escalates onto the phone-task board in the Teams on-call channel; a claim there sends the claimer the task in a 1:1 chat, where they reach the member', async () => {
    // Issued through the core: this test is about the board and the phone task's buttons, not the form (tested above).
    const { advisoryId, board, taskId } = await issueToBoard('Teams 電話');
    const boardCard = card(board);
    // The board, not a task card: JPA's row, open, and the claim control; no outcome button in the channel.
    expect(paragraphs(boardCard)).toContain(`${BT.heading.ja}\u3000ページ 1/1`);
    expect(paragraphs(boardCard).some((p) => p.startsWith(`⚪ **${JPA_NAME} / Japan Pharmaceutical Association** — `))).toBe(true);
    expect(executes(boardCard).map((x) => x.verb)).toEqual([BOARD_CLAIM_ACTION]);
    expect(elements(boardCard, 'Input.ChoiceSet')[0]?.['choices']).toEqual([{ title: `⚪ ${JPA_NAME} / Japan Pharmaceutical Association`, value: taskId }]);
    const claimFromBoard = (who: typeof ONCALL, data: Record<string, unknown>, messageId = board.id) =>
      h.teams!.execute(`${TEAMS.oncall.channel};messageid=${messageId}`, who, BOARD_CLAIM_ACTION, data, messageId, TEAMS.oncall.team);

    // Refused, and told, before anything changes: an outsider, nothing chosen, a forged value, a message that is not the board.
    expect(JSON.stringify((await claimFromBoard(JPA_STAFF, { taskId })).body)).toContain(ERROR_TEXT['AUTH.NOT_ONCALL'].ja);
    const nothing = JSON.stringify((await claimFromBoard(ONCALL, {})).body);
    expect(nothing).toContain(BT.claimPlaceholder.ja);
    expect(nothing).toContain(BT.claimPlaceholder.en);
    expect(JSON.stringify((await claimFromBoard(ONCALL, { taskId: 'a b' })).body)).toContain(ERROR_TEXT['PHONE.NOT_FOUND'].ja);
    expect(JSON.stringify((await claimFromBoard(ONCALL, { taskId }, '999')).body)).toContain(ERROR_TEXT['PHONE.NOT_YOURS'].ja);
    expect((await store.getPhoneTask(taskId))?.state).toBe('open');

    // The claim: the presser gets the page back with their claim on it and nothing left to claim.
    const claimed = await claimFromBoard(ONCALL, { taskId });
    expect(claimed.status).toBe(200);
    const page = answeredCard(claimed.body);
    expect(paragraphs(page).some((p) => p.startsWith(`📞 **${JPA_NAME} / Japan Pharmaceutical Association** — 電話当番 Teams が対応中 / 電話当番 Teams on it`))).toBe(true);
    expect(executes(page)).toEqual([]);
    expect(paragraphs(page)).toContain(`${BT.nothingToClaim.ja} / ${BT.nothingToClaim.en}`);
    expect((await store.getPhoneTask(taskId))).toMatchObject({ state: 'claimed', claimedBy: { userId: TEAMS_ONCALL } });

    // The claimer's copy: the phone task with its outcome buttons, in the 1:1 chat the bot opened with them.
    const { dm, copy } = await copyFor(TEAMS_ONCALL, 'Teams 電話');
    expect(paragraphs(card(copy))).toContain(`📞 ${CT.phoneTask.ja} / ${CT.phoneTask.en}: ${JPA_NAME} / Japan Pharmaceutical Association`);
    // Nothing per task in the channel: the board is this advisory's one message there, edited in place.
    expect(cardsIn(TEAMS.oncall.channel, 'Teams 電話').map((a) => a.id)).toEqual([board.id]);
    await h.connector!.waitFor(() => boardShows(board.id, `電話当番 Teams が対応中`), { timeoutMs: 15_000, description: 'the board shows the claim' });

    const task = { taskId };
    // The claimed copy offers one "reached" button per contact, the one being called now first, each naming its contact.
    const choices = executes(card(copy)).filter((e) => e.verb === 'phone_reached');
    expect(choices.map((e) => e.data['taskId'])).toEqual([taskId, taskId]);
    expect(elements(card(copy), 'Action.Execute').filter((e) => e['verb'] === 'phone_reached').map((e) => e['title'])).toEqual([
      '✅ 1. 伊藤 大輔 (情報システム担当 部長)',
      '✅ 2. 渡辺 香織 (総務部 主任)',
    ]);
    const onCopy = (who: typeof ONCALL, verb: string, data: Record<string, unknown>) => h.teams!.execute(dm, who, verb, data, copy.id);
    // A "reached" press with no contact (a card drawn before the bot asked) or a forged one is refused, and told.
    expect(JSON.stringify((await onCopy(ONCALL, 'phone_reached', task)).body)).toContain(ERROR_TEXT['PHONE.UNKNOWN_CONTACT'].ja);
    const forged = await onCopy(ONCALL, 'phone_reached', { ...choices[0]!.data, choice: '0:forged' });
    expect(JSON.stringify(forged.body)).toContain(ERROR_TEXT['PHONE.UNKNOWN_CONTACT'].ja);
    // The secretariat may work phone tasks, but not record the outcome of a task someone else claimed.
    const other = await onCopy(SECRETARIAT, 'phone_reached', choices[0]!.data);
    expect(JSON.stringify(other.body)).toContain(ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].ja);
    expect((await store.listDeliveries(advisoryId))[0]?.state).toBe('posted');

    // The second contact answered.
    const reached = await onCopy(ONCALL, 'phone_reached', choices[1]!.data);
    expect(reached.status).toBe(200);
    const WATANABE = { index: 1, name: '渡辺 香織', role: '総務部 主任' };
    const status = await eventually(async () => {
      const s = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
      return s.counts.acknowledged === 1 && s;
    });
    expect(status.rows[0]).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 Teams', reachedContact: WATANABE });
    // The card the caller gets back names whom they reached and who called, Japanese first, and offers no buttons.
    const answered = JSON.stringify(reached.body);
    expect(answered).toContain('完了：渡辺 香織 (総務部 主任) に連絡がつきました（電話当番 Teams、');
    expect(answered.indexOf('完了：')).toBeLessThan(answered.indexOf('Done: reached 渡辺 香織 (総務部 主任) by 電話当番 Teams at '));
    expect(executes(reached.body)).toEqual([]);
    // The board says so too: the row done, by whom.
    await h.connector!.waitFor(() => boardShows(board.id, `✅ ${JPA_NAME} / Japan Pharmaceutical Association — 電話当番 Teams が電話で連絡済`), {
      timeoutMs: 15_000,
      description: 'the board shows the member reached',
    });
    const refusals = (await store.listAudit(advisoryId)).filter((a) => a.action === 'phone.refused').map((a) => a.detail['problem'] ?? a.detail['reason'] ?? a.detail['attempted']);
    // The outsider's refusal is audited without the advisory (nothing of it is read for them); the forged board press with it.
    expect(refusals).toEqual(['not-on-board', 'missing', 'changed', 'claimed-by-other']);
  });

  it('gives a task claimed from the board by two people at once to exactly one; the other is told who has it', async () => {
    const { advisoryId, board, taskId } = await issueToBoard('Teams 同時');
    const claim = (who: typeof ONCALL) => h.teams!.execute(`${TEAMS.oncall.channel};messageid=${board.id}`, who, BOARD_CLAIM_ACTION, { taskId }, board.id, TEAMS.oncall.team);
    const [a, b] = await Promise.all([claim(ONCALL), claim(SECRETARIAT)]);
    const stored = await store.getPhoneTask(taskId);
    expect(stored?.state).toBe('claimed');
    const winner = stored?.claimedBy?.userId === TEAMS_ONCALL ? { res: a, who: ONCALL, loser: b, lost: SECRETARIAT } : { res: b, who: SECRETARIAT, loser: a, lost: ONCALL };
    expect(stored?.claimedBy?.userId).toBe(winner.who.aadObjectId);
    // The winner gets the page with their claim; the other is told, in both languages, who is calling.
    expect(paragraphs(answeredCard(winner.res.body)).some((p) => p.includes(`${winner.who.name} が対応中 / ${winner.who.name} on it`))).toBe(true);
    const told = JSON.stringify(winner.loser.body);
    expect(told).toContain(`${ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].ja} 📞 ${winner.who.name}`);
    expect(told).toContain(`${ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].en} 📞 ${winner.who.name}`);
    expect(answeredCard(winner.loser.body)).not.toMatchObject({ type: 'AdaptiveCard' });
    expect((await store.listAudit(advisoryId)).filter((x) => x.action === 'phone.claim')).toHaveLength(1);
    // One copy, to the winner only.
    await copyFor(winner.who.aadObjectId, 'Teams 同時');
    await queues.waitIdle({ timeoutMs: 20_000 });
    const copies = h.connector!.createdConversations().flatMap((c) => cardsIn(c.id, 'Teams 同時').map(() => c.memberId));
    expect(copies).toEqual([winner.who.aadObjectId]);
    expect(h.connector!.activities(`${TEAMS.oncall.channel};messageid=${board.id}`).filter((x) => x.id !== board.id && JSON.stringify(card(x) ?? {}).includes('Teams 同時'))).toEqual([]);
    await stopLadder(advisoryId);
  });

  it('puts the claimer\'s copy under the board when Teams will not open a 1:1 chat with them', async () => {
    const { advisoryId, board, taskId } = await issueToBoard('Teams 返信');
    h.connector!.failNext({ operation: 'createConversation', status: 403, code: 'Forbidden' });
    const claimed = await h.teams!.execute(`${TEAMS.oncall.channel};messageid=${board.id}`, ONCALL, BOARD_CLAIM_ACTION, { taskId }, board.id, TEAMS.oncall.team);
    expect(claimed.status).toBe(200);
    // A reply in the board's thread: the channel's conversation with ";messageid=" of the board, answering it.
    const reply = await h.connector!.waitFor(
      (calls) => calls.find((c) => c.conversationId === `${TEAMS.oncall.channel};messageid=${board.id}` && c.method === 'POST' && JSON.stringify(c.body ?? {}).includes(CT.phoneTask.ja) && c.outcome !== undefined && c.outcome !== 'dropped' && c.outcome.status === 200),
      { timeoutMs: 15_000, description: 'the copy under the board' },
    );
    const copyId = String((reply.outcome as { body: { id: string } }).body.id);
    expect(h.connector!.callsTo('createConversation').some((c) => c.outcome !== 'dropped' && c.outcome?.status === 403)).toBe(true);
    // Its buttons work there as anywhere: released, the task is open on the board again.
    const released = await h.teams!.execute(`${TEAMS.oncall.channel};messageid=${board.id}`, ONCALL, 'phone_release', { taskId }, copyId, TEAMS.oncall.team);
    expect(released.status).toBe(200);
    expect(executes(answeredCard(released.body)).map((x) => x.verb)).toContain('phone_claim');
    expect((await store.getPhoneTask(taskId))?.state).toBe('open');
    await h.connector!.waitFor(() => boardShows(board.id, `⚪ **${JPA_NAME}`), { timeoutMs: 15_000, description: 'the board shows the task open again' });
    await stopLadder(advisoryId);
  });

  it('answers `advisory status` and `advisory oncall` typed to the bot', async () => {
    const res = await issueFromTeams({ ...FORM, title: 'Teams 当番一覧', targets: '', target_organisations: 'jpa' });
    const advisoryId = advisoryIdIn(res.body);
    await h.connector!.waitFor(() => cardsIn(TEAMS.oncall.channel, 'Teams 当番一覧').length > 0, { timeoutMs: 20_000, description: 'the phone-task board in the Teams on-call channel' });

    // The on-call list answering this command lists this advisory's open task, for JPA, under the advisory's heading.
    const list = await command(TEAMS.secretariat.channel, SECRETARIAT, '<at>CEPTOAR Bot</at> advisory oncall', TEAMS.secretariat.team);
    const ps = paragraphs(list);
    const heads = ps.map((p, i) => ({ p, i })).filter(({ p }) => p.includes(advisoryId));
    expect(heads.map(({ p }) => p)).toEqual([`**${advisoryId} Teams 当番一覧（1 件）**`, `${advisoryId} Teams 当番一覧 (1 task)`]);
    const entry = ps[heads[1]!.i + 1] ?? '';
    expect(entry).toContain(JPA_NAME);
    expect(entry).toMatch(/架電 0\/2 件 \/ tried 0 of 2|架電 0\/1 件 \/ tried 0 of 1/);

    // The status answering this command: its counts, and JPA on the phone step.
    const status = await command(TEAMS.secretariat.channel, SECRETARIAT, `<at>CEPTOAR Bot</at> advisory status ${advisoryId}`, TEAMS.secretariat.team);
    expect(paragraphs(status).some((p) => p.includes(`${advisoryId} Teams 当番一覧`))).toBe(true);
    expect(facts(status)).toMatchObject({ [both(CT.total)]: '1', [both(STATE_TEXT.acknowledged)]: '0', [both(STATE_TEXT.posted)]: '1', [both(STATE_TEXT.failed)]: '0' });
    const rows = paragraphs(status).filter((p) => p.includes(JPA_NAME));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain(`📞 ${CT.phoneStep.ja}`);

    // A member asking for the status is refused, in the reply to their own message.
    const refused = await command(TEAMS.jda.channel, JDA_STAFF, `advisory status ${advisoryId}`, TEAMS.jda.team);
    expect(JSON.stringify(refused)).toContain(ERROR_TEXT['AUTH.NOT_SECRETARIAT'].ja);
    expect(JSON.stringify(refused)).not.toContain(JPA_NAME);

    // Stop this ladder, so it does not run on behind later tests.
    const jpa = (await store.listDeliveries(advisoryId)).find((d) => d.memberId === 'jpa')!;
    await h.bot.core.acknowledgeDelivery({ deliveryId: jpa.id, actor: { platform: 'teams', userId: 'aad-jpa-staff', name: '薬剤 担当' }, via: 'button' });
  });

  it('updates a TLP:RED 1:1 card after a restart: the chat it opened was kept in the store', async () => {
    const res = await issueFromTeams({ ...FORM, title: 'Teams 個別送信', tlp: 'TLP:RED' });
    expect(res.status).toBe(200);
    const dmPost = await h.connector!.waitFor(
      (calls) => calls.find((c) => c.conversationId?.startsWith('a:') && JSON.stringify(c.body ?? {}).includes('Teams 個別送信')),
      { timeoutMs: 15_000, description: 'the 1:1 card' },
    );
    const dm = dmPost.conversationId!;
    const [dmCard] = cardsIn(dm, 'Teams 個別送信');
    const ack = executes(card(dmCard!)).find((e) => e.verb === 'advisory_ack')!;
    expect(await h.bot.core.findConversation('teams', dm)).toMatchObject({ platform: 'teams' });

    await h.restart();
    const answer = await h.teams!.execute(dm, JDA_STAFF, 'advisory_ack', ack.data, dmCard!.id);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('歯科 担当');
    // The refresh job of the new process found where the 1:1 chat lives and updated the card there.
    await h.connector!.waitFor((calls) => calls.some((c) => c.operation === 'updateActivity' && c.conversationId === dm && c.activityId === dmCard!.id), {
      timeoutMs: 15_000,
      description: 'the 1:1 card updated after the restart',
    });
  });
});

describe('Teams authentication', () => {
  it('refuses activities without a valid Bot Framework token when credentials are configured', async () => {
    const secured = await startHarness({
      env: {
        MICROSOFT_APP_ID: '00000000-1111-2222-3333-444444444444',
        MICROSOFT_APP_PASSWORD: 'secret',
        MICROSOFT_APP_TENANT_ID: '7c1f0c2e-0000-4000-8000-00000000c0de',
      },
    });
    try {
      const post = (authorization?: string) =>
        fetch(`${secured.bot.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ type: 'message', id: '1', text: 'advisory', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: '29:x' }, conversation: { id: 'c' }, recipient: { id: '28:b' } }),
        });
      expect((await post()).status).toBe(401);
      expect((await post('Bearer not-a-jwt')).status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
