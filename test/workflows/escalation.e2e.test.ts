/**
 * The escalation ladder with policies measured in seconds, through the real endpoint, real BullMQ
 * delayed jobs on Redis and a fake Slack: reminder → phone task → next contact → secretariat alert,
 * stopped by an acknowledgement, by button or by phone. Every test issues its own advisory.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { PHONE_NO_ANSWER_ACTION_ID, PHONE_REACHED_ACTION_ID } from '../../adapters/slack/phone-task-blocks.js';
import { BOARD_CLAIM_ACTION, reachedChoiceButtonId } from '../../src/view/buttons.js';
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import type { StepKind } from '../../src/domain/escalation.js';
import { CT } from '../../src/i18n/chat-text.js';
import { both, ERROR_TEXT, STATE_TEXT } from '../../src/i18n/text.js';
import type { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startHarness, REDIS_URL, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../support/advisory-form.js';
import { eventually } from '../support/eventually.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { FAST_POLICIES } from '../support/fast-policies.js';
import { watchQueues, type QueueWatch } from '../support/queue-watch.js';
import { sectionFields, sectionLines } from '../support/slack-read.js';
import { openStoreReader } from '../support/store-reader.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const ONCALL_CHANNEL = 'C0ONC00001';
const ONCALL_A = 'U0ONC00001';
const ONCALL_B = 'U0ONC00002';
const JAMC = '一般社団法人 日本医療法人協会';

/**
 * level3/level4 as in FAST_POLICIES; level2 leaves 18 s between the reminder (2 s) and the phone
 * step (20 s), room for a test to act between the two without racing the ladder.
 */
const POLICIES = `${FAST_POLICIES}  level2: { deadline: 20s, reminderBefore: 18s, nextContactEvery: 2s, alertAfter: 10s }\n`;

let h: Harness;
let dir: string;
let queues: QueueWatch;
let store: SqliteStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-esc-'));
  const policies = join(dir, 'escalation.yaml');
  await writeFile(policies, POLICIES);
  // The board (like the status card) is edited at most once an interval: 1 s keeps the ladder's timings ahead of it.
  h = await startHarness({ env: { ESCALATION_FILE: policies, STATUS_CARD_INTERVAL_SECONDS: '1' } });
  queues = watchQueues(REDIS_URL, h.prefix);
  store = openStoreReader(h.dataDir);
});
afterAll(async () => {
  await store?.close();
  await queues?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
async function issue(fields: FormFields): Promise<string> {
  await h.slack.submitAdvisory({ userId: SECRETARIAT.userId, viewId: `VE${Date.now()}${seq++}`, values: formValues(fields) });
  const m = await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((x) => x.text.includes(fields.title!) && /ADV-\d{4}-\d{4}/.test(x.text)), { timeoutMs: 15_000 });
  return /ADV-\d{4}-\d{4}/.exec(m.text)![0];
}

const keyOf = (m: StoredMessage) => String(m.metadata?.event_payload['key'] ?? '');
const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const posts = (channel: string, advisoryId: string, kind: string) =>
  h.fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && kindOf(m) === kind && keyOf(m).startsWith(advisoryId));
/** The secretariat's grouped alerts of silent members (one message per advisory and wave, edited in place). */
const alerts = (advisoryId: string) =>
  h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => kindOf(m) === 'notice' && keyOf(m).startsWith(`${advisoryId}.alerts.escalation.`));

/** No escalation job of this advisory (or delivery) is waiting, delayed or running: the ladder has nothing left to do. */
async function ladderIdle(idPrefix: string): Promise<boolean> {
  const jobs = await queues.queue('escalate').getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return jobs.every((j) => !String(j.data.deliveryId).startsWith(idPrefix));
}

/** The escalation jobs still to run for one delivery, as BullMQ holds them. */
async function scheduledSteps(deliveryId: string): Promise<{ token: string; kind: StepKind; index: number }[]> {
  const jobs = await queues.queue('escalate').getJobs(['waiting', 'delayed', 'prioritized']);
  return jobs.filter((j) => j.data.deliveryId === deliveryId).map((j) => ({ token: String(j.data.token), kind: j.data.kind as StepKind, index: Number(j.data.index) }));
}

async function deliveryOf(advisoryId: string, memberId: string) {
  const d = (await store.listDeliveries(advisoryId)).find((x) => x.memberId === memberId);
  if (!d) throw new Error(`no delivery of ${advisoryId} for ${memberId}`);
  return d;
}

/** The one ephemeral answer posted to the named response URL. */
/** The buttons of a message as Slack holds it now (top-level blocks and the attachment's). */
function buttonsOf(m: StoredMessage | undefined): { action_id: string; value: string; text: { text: string } }[] {
  const blocks = [...(m?.blocks ?? []), ...((m?.attachments ?? []) as { blocks?: unknown[] }[]).flatMap((a) => a.blocks ?? [])] as { type: string; elements?: unknown[] }[];
  return blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []) as { action_id: string; value: string; text: { text: string } }[]);
}

async function answer(name: string): Promise<string> {
  const [reply] = await h.fake.waitFor(() => h.fake.responses(name).length > 0 && h.fake.responses(name), { description: `answer "${name}"` });
  return JSON.stringify(reply);
}

/** The board's pages in the on-call channel, as Slack holds them now (edited in place). */
const boardPages = (advisoryId: string) => posts(ONCALL_CHANNEL, advisoryId, 'phone_board');
/** The claim select's options on a page: [task id, label]. */
function claimOptions(m: StoredMessage | undefined): { value: string; text: { text: string } }[] {
  const selects = (m?.blocks ?? []) as { type: string; elements?: { type: string; options?: { value: string; text: { text: string } }[] }[] }[];
  return selects.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []).filter((e) => e.type === 'static_select').flatMap((e) => e.options ?? []);
}
/** The board page listing the member, once it does. */
const pageListing = (advisoryId: string, member: string, timeoutMs = 20_000) =>
  h.fake.waitFor(() => boardPages(advisoryId).find((m) => JSON.stringify(m.blocks).includes(member)), { timeoutMs, description: `board lists ${member}` });
/** Claim the member's task from the board as `userId`: the select's choice, as Slack sends it. */
async function claimFromBoard(advisoryId: string, member: string, userId: string, name: string): Promise<void> {
  const page = await pageListing(advisoryId, member);
  const option = await h.fake.waitFor(() => claimOptions(h.fake.messages(ONCALL_CHANNEL).find((m) => m.ts === page.ts)).find((o) => o.text.text.includes(member)), { description: `${member} claimable` });
  await h.slack.selectPress({ userId, userName: userId === ONCALL_A ? '電話当番 A' : userId, channelId: ONCALL_CHANNEL, messageTs: page.ts, actionId: BOARD_CLAIM_ACTION, value: option.value, label: option.text.text, responseUrl: h.fake.responseUrl(name) });
}
/** The task's copy in the claimer's direct conversation with the bot (Slack opens D<user>). */
const copyFor = (userId: string, advisoryId: string, timeoutMs = 15_000) =>
  h.fake.waitFor(() => posts(`D${userId}`, advisoryId, 'phone_task')[0], { timeoutMs, description: `task copy for ${userId}` });

describe('escalation ladder', () => {
  it('climbs to the end when nobody acknowledges: reminder, phone task, next contact, secretariat alert', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 全段', allMembers: false, members: ['jma'] });
    await h.fake.waitFor(() => alerts(id).length > 0, { timeoutMs: 30_000, description: 'secretariat alert' });
    await eventually(() => ladderIdle(id), { description: 'ladder idle' });
    await queues.waitIdle();

    const reminders = posts('C0JMA00001', id, 'reminder');
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0])).toContain('<@U0JMA00001>'); // the contact with a Slack id, mentioned
    // The task is on the phone-task board (one page), not posted on its own; nobody has claimed it.
    const pages = boardPages(id);
    expect(pages).toHaveLength(1);
    expect(posts(ONCALL_CHANNEL, id, 'phone_task')).toHaveLength(0);
    expect(JSON.stringify(pages[0])).toContain('公益社団法人 日本医師会');
    expect(alerts(id)).toHaveLength(1);
    // In ladder order, as the fake received them.
    const seqOf = (kind: string, channel: string) => h.fake.callsTo('chat.postMessage').find((c) => c.params['channel'] === channel && JSON.stringify(c.params['metadata'] ?? {}).includes(`"kind":"${kind}"`) && JSON.stringify(c.params['metadata']).includes(id))!.seq;
    expect(seqOf('reminder', 'C0JMA00001')).toBeLessThan(seqOf('phone_board', ONCALL_CHANNEL));
    const alertSeq = h.fake
      .callsTo('chat.postMessage')
      .find((c) => c.params['channel'] === SECRETARIAT_CHANNEL && JSON.stringify(c.params['metadata'] ?? {}).includes(`${id}.alerts.escalation.`))!.seq;
    expect(seqOf('phone_board', ONCALL_CHANNEL)).toBeLessThan(alertSeq);
    // The next-contact step came with nobody calling: the row is marked overdue in place (the page edited, nothing
    // posted again), still open to claim.
    const page = await h.fake.waitFor(() => {
      const m = h.fake.messages(ONCALL_CHANNEL).find((x) => x.ts === pages[0]!.ts);
      return JSON.stringify(m?.blocks).includes('期限超過') && m;
    }, { description: 'row marked overdue' });
    expect(h.fake.callsTo('chat.update').filter((c) => c.params['ts'] === pages[0]!.ts).length).toBeGreaterThan(0);
    expect(claimOptions(page).map((o) => o.text.text)).toEqual(['⚠ 公益社団法人 日本医師会 / Japan Medical Association']);
    // The ladder's steps as the store recorded them, in order (each post above was counted once).
    const steps = (await store.listAudit(id)).filter((a) => a.action.startsWith('escalation.')).map((a) => a.detail['step']);
    expect(steps).toEqual(['reminder', 'phone', 'next-contact-1', 'alert']);

    const status = await h.bot.core.statusOf(SECRETARIAT, id);
    expect(status.rows[0]).toMatchObject({ state: 'posted', ladder: { kind: 'alert' }, phoneTask: { state: 'open', contactIndex: 1, contacts: 2, tried: 0, overdue: true } });
  });

  it('stops the moment the member acknowledges: no step after the acknowledgement', async () => {
    // jda is acknowledged; jamc, issued alongside, is the control whose owed step does run.
    const id = await issue({ ...VALID_FORM, title: 'ESC 途中確認', severity: 'level2', allMembers: false, members: ['jda', 'jamc'] });
    await h.fake.waitFor(() => posts('C0JDA00001', id, 'reminder').length === 1 && posts('C0JAMC0001', id, 'reminder').length === 1, { timeoutMs: 15_000, description: 'both reminders' });
    // After the reminder each record owes the phone step, and BullMQ holds exactly that job, under the record's token.
    const owedPhone = async (memberId: string) =>
      eventually(async () => {
        const d = await deliveryOf(id, memberId);
        const jobs = await scheduledSteps(d.id);
        return d.nextStep?.kind === 'phone' && jobs.length === 1 && { delivery: d, job: jobs[0]! };
      }, { description: `${memberId} owes the phone step` });
    const jda = await owedPhone('jda');
    const jamc = await owedPhone('jamc');
    expect(jda.job).toEqual({ token: jda.delivery.escalationToken, kind: 'phone', index: 0 });
    expect(jamc.job).toEqual({ token: jamc.delivery.escalationToken, kind: 'phone', index: 0 });

    // Control: the scheduled token with the owed step runs (here, ahead of its time)…
    expect(await h.bot.core.runEscalationStep({ deliveryId: jamc.delivery.id, ...jamc.job })).toBe('ran');
    await pageListing(id, JAMC);
    // …and a token that was never scheduled does not, even for the step the record owes.
    expect(await h.bot.core.runEscalationStep({ deliveryId: jda.delivery.id, token: 'k000000000000', kind: 'phone', index: 0 })).toBe('stale');

    const advisoryPost = h.fake.messages('C0JDA00001').find((m) => kindOf(m) === 'advisory' && keyOf(m).startsWith(id))!;
    await h.slack.buttonPress({ userId: 'U0JDA00001', userName: 'jda-staff', channelId: 'C0JDA00001', messageTs: advisoryPost.ts, actionId: ACK_ACTION_ID, value: keyOf(advisoryPost), responseUrl: h.fake.responseUrl('esc-ack') });
    await eventually(async () => (await deliveryOf(id, 'jda')).state === 'acknowledged', { description: 'jda acknowledged' });
    await eventually(() => ladderIdle(jda.delivery.id), { description: 'pending steps dropped' });

    // The token the phone job was scheduled with is stale now: the acknowledgement rotated it.
    const after = await deliveryOf(id, 'jda');
    expect(after.escalationToken).not.toBe(jda.job.token);
    expect(after.nextStep).toBeUndefined();
    // A step still carrying the old token (say, already taken by a worker) does nothing.
    expect(await h.bot.core.runEscalationStep({ deliveryId: jda.delivery.id, ...jda.job })).toBe('stale');
    await queues.waitIdle();
    // Only the control is on the board: jda's phone step never ran.
    const board = JSON.stringify(boardPages(id).map((m) => h.fake.messages(ONCALL_CHANNEL).find((x) => x.ts === m.ts)?.blocks));
    expect(board).toContain(JAMC);
    expect(board).not.toContain('公益社団法人 日本歯科医師会');
    expect((await store.listPhoneTasks(id)).map((t) => t.deliveryId)).toEqual([jamc.delivery.id]);
    expect(alerts(id)).toHaveLength(0);
    expect(posts('C0JDA00001', id, 'reminder')).toHaveLength(1);
    const jdaSteps = (await store.listAudit(id)).filter((a) => a.deliveryId === jda.delivery.id && a.action.startsWith('escalation.')).map((a) => a.action);
    expect(jdaSteps).toEqual(['escalation.reminder']);

    // Stop the control's ladder too, so it does not run on behind later tests. Its phone job, run
    // ahead of time above, is still delayed in BullMQ (stale, it would do nothing): removed as well.
    await h.bot.core.acknowledgeDelivery({ deliveryId: jamc.delivery.id, actor: { platform: 'slack', userId: 'U0JAMC0001', name: 'jamc-staff' }, via: 'button' });
    for (const job of await queues.queue('escalate').getJobs(['delayed', 'waiting'])) {
      if (job.data.deliveryId === jamc.delivery.id) await job.remove();
    }
    await eventually(() => ladderIdle(id), { description: 'control ladder stopped' });
  });

  it('lets on-call staff claim, refuses a second claimer and outsiders, and "reached" acknowledges via phone', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 電話確認', allMembers: false, members: ['jpa'] });
    const JPA = '公益社団法人 日本薬剤師会';
    await claimFromBoard(id, JPA, ONCALL_A, 'claim-a');
    // The task's copy, with its outcome buttons, comes to the claimer directly; the board says who is on it.
    const task = await copyFor(ONCALL_A, id);
    const DM = `D${ONCALL_A}`;
    const page = (await pageListing(id, JPA)).ts;
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages(ONCALL_CHANNEL).find((m) => m.ts === page)?.blocks).includes('電話当番 A が対応中'), { timeoutMs: 15_000, description: 'board shows the claimer' });
    expect(JSON.stringify(task)).toContain('tel:');
    const press = (userId: string, actionId: string, name: string) =>
      h.slack.buttonPress({ userId, userName: userId === ONCALL_A ? '電話当番 A' : userId, channelId: DM, messageTs: task.ts, actionId, value: keyOf(task).replace(/\.to\..*$/, ''), responseUrl: h.fake.responseUrl(name) });

    // A second claimer, from the board: the select no longer offers the task, but a press drawn before the claim
    // still names it: refused and told who has it.
    await h.slack.selectPress({ userId: ONCALL_B, channelId: ONCALL_CHANNEL, messageTs: page, actionId: BOARD_CLAIM_ACTION, value: task.metadata!.event_payload['task_id'] as string, responseUrl: h.fake.responseUrl('claim-b') });
    expect(await answer('claim-b')).toContain(ERROR_TEXT['PHONE.CLAIMED_BY_OTHER'].ja);

    await h.slack.selectPress({ userId: 'U0JPA00001', channelId: ONCALL_CHANNEL, messageTs: page, actionId: BOARD_CLAIM_ACTION, value: task.metadata!.event_payload['task_id'] as string, responseUrl: h.fake.responseUrl('claim-outsider') });
    expect(await answer('claim-outsider')).toContain(ERROR_TEXT['AUTH.NOT_ONCALL'].ja);
    expect((await store.getPhoneTask((await store.listPhoneTasks(id))[0]!.id))?.claimedBy).toMatchObject({ userId: ONCALL_A });

    // A "reached" press without a contact (a message drawn before the bot asked) is refused, and told.
    await press(ONCALL_A, PHONE_REACHED_ACTION_ID, 'reached-stale');
    expect(await answer('reached-stale')).toContain(ERROR_TEXT['PHONE.UNKNOWN_CONTACT'].ja);
    // The message offers one "reached" button per contact, the one being called now first.
    const current = () => h.fake.messages(DM).find((m) => m.ts === task.ts);
    const choices = buttonsOf(current()).filter((b) => b.action_id.startsWith(`${PHONE_REACHED_ACTION_ID}.`));
    expect(choices.map((b) => [b.action_id, b.text.text])).toEqual([
      [reachedChoiceButtonId(1), '✅ 1. 伊藤 大輔 (情報システム担当 部長)'],
      [reachedChoiceButtonId(2), '✅ 2. 渡辺 香織 (総務部 主任)'],
    ]);
    // A forged contact index in a real button's value: refused, recorded, nothing acknowledged.
    const forged = choices[1]!.value.replace(/#\d+:/, '#7:');
    await h.slack.buttonPress({ userId: ONCALL_A, userName: '電話当番 A', channelId: DM, messageTs: task.ts, actionId: choices[1]!.action_id, value: forged, responseUrl: h.fake.responseUrl('reached-forged') });
    expect(await answer('reached-forged')).toContain(ERROR_TEXT['PHONE.UNKNOWN_CONTACT'].en);
    // Every refusal on this task is in the audit: the second claimer, then the two bad "reached" presses.
    expect((await store.listAudit(id)).filter((a) => a.action === 'phone.refused').map((a) => [a.actor?.userId, a.detail['reason'], a.detail['problem']])).toEqual([
      [ONCALL_B, 'claimed-by-other', undefined],
      [ONCALL_A, 'bad-contact', 'missing'],
      [ONCALL_A, 'bad-contact', 'out-of-range'],
    ]);
    expect((await deliveryOf(id, 'jpa')).state).toBe('posted');

    // The second contact answered: the on-call person presses that contact's button.
    await h.slack.buttonPress({ userId: ONCALL_A, userName: '電話当番 A', channelId: DM, messageTs: task.ts, actionId: choices[1]!.action_id, value: choices[1]!.value, responseUrl: h.fake.responseUrl('reached') });
    const status = await eventually(async () => {
      const s = await h.bot.core.statusOf(SECRETARIAT, id);
      return s.counts.acknowledged === 1 && s;
    });
    const WATANABE = { index: 1, name: '渡辺 香織', role: '総務部 主任' };
    expect(status.rows[0]).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 A', reachedContact: WATANABE });
    expect((await deliveryOf(id, 'jpa')).acknowledged).toMatchObject({ actor: { userId: ONCALL_A }, via: 'phone', contact: WATANABE });
    expect((await store.listAudit(id)).find((a) => a.action === 'phone.reached')?.detail['reached']).toEqual(WATANABE);
    // The member's message shows the acknowledgement via phone; the task shows whom they reached, and who called.
    const advisoryPost = h.fake.messages('C0JPA00001').find((m) => kindOf(m) === 'advisory' && keyOf(m).startsWith(id))!;
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages('C0JPA00001').find((m) => m.ts === advisoryPost.ts)).includes('電話'));
    const done = await h.fake.waitFor(() => {
      const m = current();
      return buttonsOf(m).length === 0 && m;
    });
    expect(sectionLines(done.blocks).join('\n')).toContain('完了：*渡辺 香織 (総務部 主任)* に連絡がつきました（電話当番 A、');
    expect(sectionLines(done.blocks).join('\n')).toContain('Done: reached *渡辺 香織 (総務部 主任)* by 電話当番 A at ');
    // The board's row says so too, with nothing left to claim on it.
    const boardDone = await h.fake.waitFor(() => {
      const m = h.fake.messages(ONCALL_CHANNEL).find((x) => x.ts === page);
      return JSON.stringify(m?.blocks).includes('電話当番 A が電話で連絡済') && m;
    }, { description: 'board row done' });
    expect(claimOptions(boardDone)).toEqual([]);
    // The secretariat's status says who called and whom they reached: no longer one to chase, so in the
    // counts of /advisory status and in the full status (the core's), with both names.
    await h.slack.command({ text: `status ${id}`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl('reached-status') });
    const reply = JSON.parse(await answer('reached-status'));
    expect(sectionFields(reply.blocks)[both(STATE_TEXT.acknowledged)]).toBe('1');
    expect((await h.bot.core.statusOf(SECRETARIAT, id)).rows[0]).toMatchObject({ state: 'acknowledged', via: 'phone', acknowledgedBy: '電話当番 A', reachedContact: { name: '渡辺 香織', role: '総務部 主任' } });
    await eventually(() => ladderIdle(id));
    await queues.waitIdle();
    expect(alerts(id)).toHaveLength(0);
  });

  it('moves to the next contact on no answer and alerts the secretariat when every contact was tried', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 不在', allMembers: false, members: ['jna'] });
    await claimFromBoard(id, '公益社団法人 日本看護協会', ONCALL_A, 'na-claim');
    const task = await copyFor(ONCALL_A, id);
    const press = (name: string) =>
      h.slack.buttonPress({ userId: ONCALL_A, userName: '電話当番 A', channelId: `D${ONCALL_A}`, messageTs: task.ts, actionId: PHONE_NO_ANSWER_ACTION_ID, value: task.metadata!.event_payload['task_id'] as string, responseUrl: h.fake.responseUrl(name) });
    const noAnswers = async () => (await store.listAudit(id)).filter((a) => a.action === 'phone.no_answer');
    await press('na1');
    await eventually(async () => (await noAnswers()).length === 1, { description: 'first no answer recorded' });
    await press('na2');
    await h.fake.waitFor(() => alerts(id).length > 0, { timeoutMs: 20_000, description: 'alert after contacts exhausted' });
    await eventually(() => ladderIdle(id));
    await queues.waitIdle();
    expect(alerts(id)).toHaveLength(1); // the brought-forward alert and the ladder's own are one step
    expect((await noAnswers()).map((a) => a.actor?.userId)).toEqual([ONCALL_A, ONCALL_A]);
    expect(h.fake.responses('na1')).toEqual([]); // no error told to the caller
    expect(h.fake.responses('na2')).toEqual([]);
    const s = await h.bot.core.statusOf(SECRETARIAT, id);
    expect(s.rows[0]!.phoneTask).toMatchObject({ exhausted: true, state: 'claimed', contacts: 2 });
  });

  it('sends a failed delivery straight to the phone step', async () => {
    h.fake.setChannel('C0JMHA0001', { exists: false });
    try {
      const id = await issue({ ...VALID_FORM, title: 'ESC 配信失敗', allMembers: false, members: ['jmha'] });
      await h.fake.waitFor(() => boardPages(id).length > 0, { timeoutMs: 20_000, description: 'board' });
      // The step records itself on the delivery just after posting the task.
      const s = await eventually(async () => {
        const st = await h.bot.core.statusOf(SECRETARIAT, id);
        return st.rows[0]?.ladder && st;
      });
      expect(s.rows[0]).toMatchObject({ state: 'failed', ladder: { kind: 'phone' } });
      expect(posts('C0JMHA0001', id, 'reminder')).toHaveLength(0);
      // The phone step is the ladder's first: no reminder step ran (or was skipped) before it.
      const steps = (await store.listAudit(id)).filter((a) => a.action.startsWith('escalation.')).map((a) => a.detail['step']);
      expect(steps[0]).toBe('phone');
      expect(steps).not.toContain('reminder');
    } finally {
      h.fake.setChannel('C0JMHA0001', { exists: true });
    }
  });

  it('lists open phone tasks with /advisory oncall and shows the ladder in /advisory status', async () => {
    // Two silent members: jha's task stays open, nho is reached by phone.
    const id = await issue({ ...VALID_FORM, title: 'ESC 当番一覧', allMembers: false, members: ['jha', 'nho'] });
    const JHA = '一般社団法人 日本病院会';
    const NHO = '独立行政法人 国立病院機構';
    await pageListing(id, JHA);
    await claimFromBoard(id, NHO, ONCALL_A, 'list-claim');
    const nhoTask = await copyFor(ONCALL_A, id);
    await eventually(async () => (await store.listAudit(id)).some((a) => a.action === 'phone.claim'), { description: 'claim recorded' });
    // The first "reached" choice of the task's copy as it stands (the contact being called now).
    const first = await h.fake.waitFor(() => buttonsOf(h.fake.messages(`D${ONCALL_A}`).find((m) => m.ts === nhoTask.ts)).find((b) => b.action_id === reachedChoiceButtonId(1)));
    await h.slack.buttonPress({ userId: ONCALL_A, userName: '電話当番 A', channelId: `D${ONCALL_A}`, messageTs: nhoTask.ts, actionId: first.action_id, value: first.value, responseUrl: h.fake.responseUrl('list-reached') });
    await eventually(async () => (await deliveryOf(id, 'nho')).state === 'acknowledged', { description: 'nho reached' });

    await h.slack.command({ text: 'oncall', userId: ONCALL_B, responseUrl: h.fake.responseUrl('oncall') });
    const [list] = await h.fake.waitFor(() => h.fake.responses('oncall').length > 0 && h.fake.responses('oncall'));
    const lines = sectionLines((list as { blocks?: unknown }).blocks);
    // Grouped by advisory: its heading, then its open tasks.
    expect(lines.some((l) => l.includes(id))).toBe(true);
    const entries = lines.filter((l) => l.includes(JHA) || l.includes(NHO));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toContain(JHA); // still to be called
    expect(entries[0]).not.toContain(NHO); // reached by phone: done

    await h.slack.command({ text: `status ${id}`, userId: SECRETARIAT.userId, responseUrl: h.fake.responseUrl('oncall-status') });
    const rows = sectionLines(JSON.parse(await answer('oncall-status')).blocks);
    const jhaRow = rows.filter((l) => l.includes(JHA));
    const nhoRow = rows.filter((l) => l.includes(NHO));
    expect(jhaRow).toHaveLength(1);
    expect(jhaRow[0]).toContain(both(STATE_TEXT.posted));
    expect(jhaRow[0]).toContain(`📞 ${CT.phoneStep.ja}`);
    // NHO was reached by phone: not one to chase any more, so not listed (the counts say it).
    expect(nhoRow).toHaveLength(0);

    await h.slack.command({ text: 'oncall', userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('oncall-outsider') });
    const refused = await answer('oncall-outsider');
    expect(refused).toContain(ERROR_TEXT['AUTH.NOT_ONCALL'].ja);
    expect(refused).not.toContain(id);
  });
});
