/**
 * The escalation ladder with policies measured in seconds, through the real endpoint, real BullMQ
 * delayed jobs on Redis and a fake Slack: reminder → phone task → next contact → secretariat alert,
 * stopped by an acknowledgement, by button or by phone.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_MODAL_CALLBACK } from '../../adapters/slack/advisory-modal.js';
import { ACK_ACTION_ID } from '../../adapters/slack/advisory-blocks.js';
import { PHONE_CLAIM_ACTION_ID, PHONE_NO_ANSWER_ACTION_ID, PHONE_REACHED_ACTION_ID } from '../../adapters/slack/phone-task-blocks.js';
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import { startHarness, REDIS_URL, type Harness } from '../support/bot-harness.js';
import { formValues, VALID_FORM, type FormFields } from '../support/advisory-form.js';
import { eventually } from '../support/eventually.js';
import type { StoredMessage } from '../support/fake-slack.js';
import { writeFastPolicies } from '../support/fast-policies.js';

const SECRETARIAT = { platform: 'slack' as const, userId: 'U0SEC00001' };
const SECRETARIAT_CHANNEL = 'C0SEC00001';
const ONCALL_CHANNEL = 'C0ONC00001';
const ONCALL_A = 'U0ONC00001';
const ONCALL_B = 'U0ONC00002';

let h: Harness;
let dir: string;
let redis: Redis;
let escalateQueue: Queue;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-esc-'));
  const policies = await writeFastPolicies(join(dir, 'escalation.yaml'));
  h = await startHarness({ env: { ESCALATION_FILE: policies } });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  escalateQueue = new Queue('escalate', { connection: redis, prefix: h.prefix });
});
afterAll(async () => {
  await escalateQueue?.close();
  redis?.disconnect();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
async function issue(fields: FormFields): Promise<string> {
  await h.slack.viewSubmission({ userId: SECRETARIAT.userId, viewId: `VE${Date.now()}${seq++}`, callbackId: ADVISORY_MODAL_CALLBACK, values: formValues(fields) });
  const m = await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((x) => x.text.includes(fields.title!) && /ADV-\d{4}-\d{4}/.test(x.text)), { timeoutMs: 15_000 });
  return /ADV-\d{4}-\d{4}/.exec(m.text)![0];
}

const keyOf = (m: StoredMessage) => String(m.metadata?.event_payload['key'] ?? '');
const kindOf = (m: StoredMessage) => String(m.metadata?.event_payload['kind'] ?? '');
const posts = (channel: string, advisoryId: string, kind: string) =>
  h.fake.messages(channel).filter((m) => m.metadata?.event_type === POST_EVENT_TYPE && kindOf(m) === kind && keyOf(m).startsWith(advisoryId));
const alerts = (advisoryId: string) =>
  h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => kindOf(m) === 'notice' && keyOf(m).startsWith(advisoryId) && keyOf(m).includes('.alert.'));

/** No escalation job of this advisory is waiting, delayed or running: the ladder has nothing left to do. */
async function ladderIdle(advisoryId: string): Promise<boolean> {
  const jobs = await escalateQueue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  return jobs.every((j) => !String(j.data.deliveryId).startsWith(advisoryId));
}

describe('escalation ladder', () => {
  it('climbs to the end when nobody acknowledges: reminder, phone task, next contact, secretariat alert', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 全段', allMembers: false, members: ['jma'] });
    await h.fake.waitFor(() => alerts(id).length > 0, { timeoutMs: 30_000, description: 'secretariat alert' });
    await eventually(() => ladderIdle(id), { description: 'ladder idle' });

    const reminders = posts('C0JMA00001', id, 'reminder');
    expect(reminders).toHaveLength(1);
    expect(JSON.stringify(reminders[0])).toContain('<@U0JMA00001>'); // the contact with a Slack id, mentioned
    const tasks = posts(ONCALL_CHANNEL, id, 'phone_task');
    expect(tasks).toHaveLength(1);
    const task = JSON.stringify(tasks[0]);
    expect(task).toContain('tel:+81355550101');
    expect(task).toContain('公益社団法人 日本医師会');
    expect(alerts(id)).toHaveLength(1);
    // In ladder order, as the fake received them.
    const seqOf = (kind: string, channel: string) => h.fake.callsTo('chat.postMessage').find((c) => c.params['channel'] === channel && JSON.stringify(c.params['metadata'] ?? {}).includes(`"kind":"${kind}"`) && JSON.stringify(c.params['metadata']).includes(id))!.seq;
    expect(seqOf('reminder', 'C0JMA00001')).toBeLessThan(seqOf('phone_task', ONCALL_CHANNEL));
    const alertSeq = h.fake
      .callsTo('chat.postMessage')
      .find((c) => c.params['channel'] === SECRETARIAT_CHANNEL && JSON.stringify(c.params['metadata'] ?? {}).includes(`${id}`) && JSON.stringify(c.params['metadata']).includes('.alert.'))!.seq;
    expect(seqOf('phone_task', ONCALL_CHANNEL)).toBeLessThan(alertSeq);
    // The next-contact step moved the (unclaimed) task on to the second contact.
    const updates = h.fake.callsTo('chat.update').filter((c) => c.params['ts'] === tasks[0]!.ts);
    expect(updates.length).toBeGreaterThan(0);

    const status = await h.bot.core.statusOf(SECRETARIAT, id);
    expect(status.rows[0]).toMatchObject({ state: 'posted', ladder: { kind: 'alert' }, phoneTask: { state: 'open', contactIndex: 1, contacts: 2 } });
  });

  it('stops the moment the member acknowledges: no step after the acknowledgement', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 途中確認', allMembers: false, members: ['jda'] });
    const reminder = await h.fake.waitFor(() => posts('C0JDA00001', id, 'reminder')[0], { timeoutMs: 15_000 });
    expect(reminder).toBeDefined();
    const pending = (await escalateQueue.getJobs(['delayed', 'waiting'])).filter((j) => String(j.data.deliveryId).startsWith(id));
    const staleToken = String(pending[0]?.data.token);
    const advisoryPost = h.fake.messages('C0JDA00001').find((m) => kindOf(m) === 'advisory' && keyOf(m).startsWith(id))!;
    await h.slack.buttonPress({ userId: 'U0JDA00001', userName: 'jda-staff', channelId: 'C0JDA00001', messageTs: advisoryPost.ts, actionId: ACK_ACTION_ID, value: keyOf(advisoryPost), responseUrl: h.fake.responseUrl('esc-ack') });
    await eventually(async () => (await h.bot.core.statusOf(SECRETARIAT, id)).counts.acknowledged === 1);
    await eventually(() => ladderIdle(id), { description: 'pending steps dropped' });

    // A step still carrying the old token (say, already taken by a worker) does nothing.
    const deliveryId = keyOf(advisoryPost);
    expect(await h.bot.core.runEscalationStep({ deliveryId, token: staleToken, kind: 'phone', index: 0 })).toBe('stale');
    expect(posts(ONCALL_CHANNEL, id, 'phone_task')).toHaveLength(0);
    expect(alerts(id)).toHaveLength(0);
    expect(posts('C0JDA00001', id, 'reminder')).toHaveLength(1);
  });

  it('lets on-call staff claim, refuses a second claimer and outsiders, and "reached" acknowledges via phone', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 電話確認', allMembers: false, members: ['jpa'] });
    const task = await h.fake.waitFor(() => posts(ONCALL_CHANNEL, id, 'phone_task')[0], { timeoutMs: 20_000, description: 'phone task' });
    const press = (userId: string, actionId: string, name: string) =>
      h.slack.buttonPress({ userId, userName: userId === ONCALL_A ? '電話当番 A' : userId, channelId: ONCALL_CHANNEL, messageTs: task.ts, actionId, value: keyOf(task), responseUrl: h.fake.responseUrl(name) });

    await press(ONCALL_A, PHONE_CLAIM_ACTION_ID, 'claim-a');
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages(ONCALL_CHANNEL).find((m) => m.ts === task.ts)).includes('電話当番 A'));

    await press(ONCALL_B, PHONE_CLAIM_ACTION_ID, 'claim-b');
    const [refused] = await h.fake.waitFor(() => h.fake.responses('claim-b').length > 0 && h.fake.responses('claim-b'));
    expect(JSON.stringify(refused)).toContain('他の担当者が対応中です');

    await press('U0JPA00001', PHONE_CLAIM_ACTION_ID, 'claim-outsider');
    const [outsider] = await h.fake.waitFor(() => h.fake.responses('claim-outsider').length > 0 && h.fake.responses('claim-outsider'));
    expect(JSON.stringify(outsider)).toContain('電話当番または事務局のみ');

    await press(ONCALL_A, PHONE_REACHED_ACTION_ID, 'reached');
    const status = await eventually(async () => {
      const s = await h.bot.core.statusOf(SECRETARIAT, id);
      return s.counts.acknowledged === 1 && s;
    });
    expect(status.rows[0]).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 A' });
    // The member's message shows the acknowledgement via phone; the task shows who reached them.
    const advisoryPost = h.fake.messages('C0JPA00001').find((m) => kindOf(m) === 'advisory' && keyOf(m).startsWith(id))!;
    await h.fake.waitFor(() => JSON.stringify(h.fake.messages('C0JPA00001').find((m) => m.ts === advisoryPost.ts)).includes('電話'));
    await h.fake.waitFor(() => !JSON.stringify(h.fake.messages(ONCALL_CHANNEL).find((m) => m.ts === task.ts)).includes(PHONE_CLAIM_ACTION_ID));
    await eventually(() => ladderIdle(id));
    expect(alerts(id)).toHaveLength(0);
  });

  it('moves to the next contact on no answer and alerts the secretariat when every contact was tried', async () => {
    const id = await issue({ ...VALID_FORM, title: 'ESC 不在', allMembers: false, members: ['jna'] });
    const task = await h.fake.waitFor(() => posts(ONCALL_CHANNEL, id, 'phone_task')[0], { timeoutMs: 20_000 });
    const press = (name: string) =>
      h.slack.buttonPress({ userId: ONCALL_A, userName: '電話当番 A', channelId: ONCALL_CHANNEL, messageTs: task.ts, actionId: PHONE_NO_ANSWER_ACTION_ID, value: keyOf(task), responseUrl: h.fake.responseUrl(name) });
    await press('na1');
    await press('na2');
    await h.fake.waitFor(() => alerts(id).length > 0, { timeoutMs: 20_000, description: 'alert after contacts exhausted' });
    await eventually(() => ladderIdle(id));
    expect(alerts(id)).toHaveLength(1); // the brought-forward alert and the ladder's own are one step
    const s = await h.bot.core.statusOf(SECRETARIAT, id);
    expect(s.rows[0]!.phoneTask).toMatchObject({ exhausted: true, state: 'claimed' });
  });

  it('sends a failed delivery straight to the phone step', async () => {
    h.fake.setChannel('C0JMHA0001', { exists: false });
    try {
      const id = await issue({ ...VALID_FORM, title: 'ESC 配信失敗', allMembers: false, members: ['jmha'] });
      await h.fake.waitFor(() => posts(ONCALL_CHANNEL, id, 'phone_task').length > 0, { timeoutMs: 20_000 });
      // The step records itself on the delivery just after posting the task.
      const s = await eventually(async () => {
        const st = await h.bot.core.statusOf(SECRETARIAT, id);
        return st.rows[0]?.ladder && st;
      });
      expect(s.rows[0]).toMatchObject({ state: 'failed', ladder: { kind: 'phone' } });
      expect(posts('C0JMHA0001', id, 'reminder')).toHaveLength(0);
    } finally {
      h.fake.setChannel('C0JMHA0001', { exists: true });
    }
  });

  it('lists open phone tasks with /advisory oncall and shows the ladder in /advisory status', async () => {
    await h.slack.command({ text: 'oncall', userId: ONCALL_B, responseUrl: h.fake.responseUrl('oncall') });
    const [list] = await h.fake.waitFor(() => h.fake.responses('oncall').length > 0 && h.fake.responses('oncall'));
    const text = JSON.stringify(list);
    expect(text).toContain('公益社団法人 日本医師会'); // the first test's task is still open
    expect(text).not.toContain('日本薬剤師会'); // reached by phone: done
    await h.slack.command({ text: 'oncall', userId: 'U0JMA00001', responseUrl: h.fake.responseUrl('oncall-outsider') });
    const [refused] = await h.fake.waitFor(() => h.fake.responses('oncall-outsider').length > 0 && h.fake.responses('oncall-outsider'));
    expect(JSON.stringify(refused)).toContain('電話当番または事務局のみ');
  });
});
