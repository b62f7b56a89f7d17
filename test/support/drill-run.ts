/**
 * A drill's whole life through the core with in-memory ports (core-fixture.ts): announced in advance, sent at its
 * window's start, one member acknowledging, the other silent up the whole ladder (reminder, phone task on the board,
 * claimed, the alert), a follow-up and a correction, closed by the secretariat. Returns every message the bot posted or edited, in order, so tests
 * can hold each of them to "a drill says so" — the core's views here, each platform's rendering in the adapters'.
 */
import type { Advisory, AdvisoryInput } from '../../src/domain/advisory.js';
import { isBotError } from '../../src/errors.js';
import type { OutboundView } from '../../src/ports/chat.js';
import type { Work } from '../../src/ports/jobs.js';
import { coreFixture, ISSUE_INPUT, ONCALL, SECRETARIAT, T0, type CoreFixture } from './core-fixture.js';

export const DRILL_FROM = new Date(Date.parse(T0) + 60 * 60_000).toISOString();
export const DRILL_TO = new Date(Date.parse(T0) + 180 * 60_000).toISOString();

export const DRILL_INPUT: AdvisoryInput = {
  ...ISSUE_INPUT,
  title: '【訓練】情報伝達訓練',
  body: 'これは訓練です。受領確認を押してください。',
  drill: true,
  drillPlan: { announce: true, from: DRILL_FROM, to: DRILL_TO },
  targets: { allMembers: false, observers: false, groups: [], members: ['jma', 'jda'] },
};

/** Every message the bot posted (`posted`) or edited in place (`edited`), in the order it did so. */
export interface DrillRun {
  f: CoreFixture;
  advisory: Advisory;
  messages: { how: 'posted' | 'edited'; channelId: string; message: OutboundView }[];
}

/** What a message is, for coverage: "advisory", "notice:drill_announcement", … */
export const kindOf = (m: OutboundView): string => (m.kind === 'notice' ? `notice:${m.view.kind}` : m.kind);

/** Runs queued work as the workers would (not ladder steps: those are run at their time), until none is left. */
async function drain(f: CoreFixture): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const work: Work[] = f.jobs.ensured.splice(0);
    if (work.length === 0) return;
    for (const w of work) {
      if (w.kind === 'deliver') await f.core.deliver(w.deliveryId);
      else if (w.kind === 'announce') await f.core.announceIssued(w.advisoryId);
      else if (w.kind === 'status-card') await f.core.refreshStatusCard(w.advisoryId);
      else if (w.kind === 'alert-digest') await f.core.refreshAlertDigest(w.advisoryId, w.alert, w.wave);
      else if (w.kind === 'phone-board') await f.core.refreshPhoneBoard(w.advisoryId);
      else if (w.kind === 'refresh-phone') await f.core.refreshPhoneTask(w.taskId);
      else if (w.kind === 'refresh') await f.core.refreshMessages(w.deliveryId);
      else if (w.kind === 'failure-alert') await f.core.alertDeliveryFailed(w.deliveryId);
      else if (w.kind === 'sync') await f.core.syncDelivery(w.deliveryId);
      else if (w.kind === 'sync-advisory') await f.core.syncAdvisory(w.advisoryId);
      else if (w.kind === 'closing') await f.core.tellClosing(w.advisoryId);
    }
  }
  throw new Error('work kept coming');
}

export async function runDrill(): Promise<DrillRun> {
  const f = await coreFixture();
  const { advisory } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'drill-run', input: DRILL_INPUT });
  const deliveries = await f.store.listDeliveries(advisory.id);
  // Before the window: each delivery's job tells its member, then waits; the secretariat's card waits too.
  for (const d of deliveries) await f.core.deliver(d.id).catch((err: unknown) => (isBotError(err, 'DRILL.NOT_STARTED') ? undefined : Promise.reject(err)));
  await f.core.announceIssued(advisory.id).catch((err: unknown) => (isBotError(err, 'DRILL.NOT_STARTED') ? undefined : Promise.reject(err)));
  f.jobs.ensured.length = 0;

  // The window starts: the drill goes out, and the secretariat's card with it.
  f.clock.set(DRILL_FROM);
  for (const d of deliveries) await f.core.deliver(d.id);
  await f.core.announceIssued(advisory.id);
  await drain(f);

  // jma acknowledges; jda stays silent and climbs the whole ladder, its phone task claimed from the board.
  const jma = deliveries.find((d) => d.memberId === 'jma')!;
  const jmaPost = f.chat.posts.find((p) => p.message.kind === 'advisory' && p.target.channelId === jma.channel.channelId)!;
  await f.core.acknowledgeFromMessage({ actor: { platform: 'slack', userId: 'U0JMA00001', name: '佐藤 健一' }, message: jmaPost.ref });
  await drain(f);
  const jda = deliveries.find((d) => d.memberId === 'jda')!;
  for (;;) {
    const d = (await f.store.getDelivery(jda.id))!;
    const step = d.nextStep;
    if (!step) break;
    f.clock.set(step.at);
    await f.core.runEscalationStep({ deliveryId: jda.id, token: d.escalationToken, kind: step.kind, index: step.index });
    await drain(f);
    if (step.kind === 'phone') {
      const task = (await f.store.listPhoneTasks(advisory.id))[0]!;
      const board = f.chat.posts.find((p) => p.message.kind === 'phone_board')!;
      await f.core.claimFromBoard({ actor: ONCALL, message: board.ref, taskId: task.id });
      await drain(f);
    }
  }
  // A follow-up and a correction reach every member's copy, then the secretariat closes the drill.
  await f.core.postFollowUp({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: '訓練の続報です。' } });
  await drain(f);
  await f.core.correctAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id, input: { body: 'これは訓練です（訂正）。', note: '本文を訂正' } });
  await drain(f);
  await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
  await drain(f);

  const messages: DrillRun['messages'] = [];
  // Posts and edits interleave in time; each list is in order, which is all the tests need.
  for (const p of f.chat.posts) messages.push({ how: 'posted', channelId: p.target.channelId, message: p.message });
  for (const u of f.chat.updates) messages.push({ how: 'edited', channelId: u.ref.channelId, message: u.message });
  return { f, advisory: (await f.store.getAdvisory(advisory.id))!, messages };
}
