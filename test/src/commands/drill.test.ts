/**
 * Drills end to end in the core (commands/issue-advisory.ts, drill-form.ts, drill-notice.ts): numbered apart, the
 * plan recorded and audited, announced drills told to every member in advance and sent at the window's start, the
 * form opened from the template, and every message of a drill saying it is one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DEFAULT_DRILL_TEMPLATE, DrillTemplateFile } from '../../../src/domain/drill-template.js';
import { DT } from '../../../src/i18n/drill-text.js';
import { ChatError } from '../../../src/ports/chat.js';
import type { DrillAnnouncementView } from '../../../src/view/views.js';
import { DRILL_WAIT_MAX_MS, NOTICE_RETRY_MS } from '../../../src/commands/drill-notice.js';
import { coreFixture, ISSUE_INPUT, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import { DRILL_FROM, DRILL_INPUT, DRILL_TO, kindOf, runDrill } from '../../support/drill-run.js';
import { minutes, OUTSIDER, rejected } from './helpers.js';

let f: CoreFixture;
beforeEach(async () => {
  f = await coreFixture();
});
afterEach(async () => {
  await f.close();
});

let key = 0;
const issue = (input: Partial<AdvisoryInput> = {}) => f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: `r${++key}`, input: { ...ISSUE_INPUT, ...input } });

describe('numbering', () => {
  it('numbers drills DRL-… and real advisories ADV-…, each series on its own', async () => {
    const ids = [];
    for (const drill of [false, true, true, false, true]) ids.push((await issue({ drill })).advisory.id);
    expect(ids).toEqual(['ADV-2026-0001', 'DRL-2026-0001', 'DRL-2026-0002', 'ADV-2026-0002', 'DRL-2026-0003']);
    // Parsed wherever an id is typed: status by a drill's id, in any case, without the zeros.
    expect((await f.core.statusOf(SECRETARIAT, 'drl-2026-2')).advisoryId).toBe('DRL-2026-0002');
  });

  it('previews a drill under its own series, and takes no number', async () => {
    const p = await f.core.previewAdvisory(SECRETARIAT, { ...ISSUE_INPUT, drill: true });
    expect(p.message.advisoryId).toBe('DRL-2026-????');
    expect(p.drillPlan).toEqual({ unannounced: true });
    expect((await issue({ drill: true })).advisory.id).toBe('DRL-2026-0001');
    const real = await f.core.previewAdvisory(SECRETARIAT, ISSUE_INPUT);
    expect(real.message.advisoryId).toBe('ADV-2026-????');
    expect(real.drillPlan).toBeUndefined();
  });

  it('ignores a plan sent with a real advisory: no plan recorded, nothing announced, the ADV series', async () => {
    const r = await issue({ drillPlan: { announce: true, from: DRILL_FROM, to: DRILL_TO } });
    expect(r.advisory.id).toBe('ADV-2026-0001');
    expect(r.advisory.drillPlan).toBeUndefined();
    expect(r.advisory.issuedAt).toBe(T0);
    await f.core.deliver(r.deliveries[0]!.id);
    expect(f.chat.posts.map((p) => kindOf(p.message))).toEqual(['advisory']);
  });
});

describe('the plan', () => {
  it('records an unannounced drill as such, sends it at once, and audits the plan with the issue', async () => {
    const r = await issue({ drill: true, drillPlan: { announce: false } });
    expect(r.advisory).toMatchObject({ id: 'DRL-2026-0001', drill: true, drillPlan: { unannounced: true }, issuedAt: T0, ackDeadline: minutes(60) });
    expect((await f.store.listAudit(r.advisory.id))[0]).toMatchObject({ action: 'advisory.issued', detail: { drill: true, drillPlan: { unannounced: true } } });
    await f.core.deliver(r.deliveries[0]!.id);
    expect(f.chat.posts.map((p) => kindOf(p.message))).toEqual(['advisory']);
  });

  it('records an announced drill (when, which window), issued at the window’s start with its deadline from there, audited', async () => {
    const r = await issue(DRILL_INPUT);
    const plan = { announced: { at: T0, window: { from: DRILL_FROM, to: DRILL_TO } } };
    expect(r.advisory).toMatchObject({ id: 'DRL-2026-0001', drillPlan: plan, issuedAt: DRILL_FROM, ackDeadline: minutes(120) });
    expect(await f.store.getAdvisory(r.advisory.id)).toMatchObject({ drillPlan: plan });
    expect((await f.store.listAudit(r.advisory.id))[0]).toMatchObject({ id: `${r.advisory.id}.issued`, at: DRILL_FROM, actor: SECRETARIAT, action: 'advisory.issued', detail: { drill: true, drillPlan: plan } });
    // Its deliveries and its card are owed and queued now: their jobs tell the members, then wait.
    expect(f.jobs.ensured.map((w) => w.kind).sort()).toEqual(['announce', 'deliver', 'deliver']);
    // The preview says what Send will do.
    const p = await f.core.previewAdvisory(SECRETARIAT, DRILL_INPUT);
    expect(p.drillPlan).toEqual(plan);
    expect(p.ackDeadline).toBe(minutes(120));
  });

  it('tells each member in advance, once, then waits for the window; the secretariat’s card waits too; at the start both go out', async () => {
    const r = await issue(DRILL_INPUT);
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    const first = await rejected(f.core.deliver(jma.id));
    expect(first.code).toBe('DRILL.NOT_STARTED');
    expect(first.detail).toMatchObject({ advisoryId: r.advisory.id, startsAt: DRILL_FROM, retryAfterMs: DRILL_WAIT_MAX_MS });
    const notices = f.chat.in(jma.channel.channelId);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.key).toBe(`${jma.id}.drill-notice`);
    expect(notices[0]!.message).toEqual({
      kind: 'notice',
      view: {
        kind: 'drill_announcement',
        advisoryId: r.advisory.id,
        tlp: 'TLP:GREEN',
        drill: true,
        memberName: f.deps.directory.memberName('jma'),
        window: { from: DRILL_FROM, to: DRILL_TO },
        direct: false,
      } satisfies DrillAnnouncementView,
    });
    const stored = (await f.store.getDelivery(jma.id))!;
    expect(stored).toMatchObject({ state: 'queued', drillNotice: { at: T0, messages: [notices[0]!.ref] } });
    expect((await f.store.listAudit(r.advisory.id)).find((e) => e.action === 'drill.announced')).toMatchObject({
      id: `${jma.id}.drill-announced`,
      deliveryId: jma.id,
      detail: { memberId: 'jma', window: { from: DRILL_FROM, to: DRILL_TO }, posted: 1 },
    });

    // The job runs again before the start (its wait, a retry, the reconciler): nothing is posted twice.
    f.clock.set(minutes(55));
    expect((await rejected(f.core.deliver(jma.id))).detail['retryAfterMs']).toBe(5 * 60_000);
    expect(f.chat.in(jma.channel.channelId)).toHaveLength(1);
    expect((await rejected(f.core.announceIssued(r.advisory.id))).code).toBe('DRILL.NOT_STARTED');
    expect(f.chat.posts.filter((p) => kindOf(p.message) === 'notice:advisory_issued')).toHaveLength(0);

    f.clock.set(DRILL_FROM);
    expect(await f.core.deliver(jma.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.in(jma.channel.channelId).map((p) => kindOf(p.message))).toEqual(['notice:drill_announcement', 'advisory']);
    expect(await f.core.announceIssued(r.advisory.id)).toBe(1);
    // Its ladder counts from the sending.
    expect((await f.store.getDelivery(jma.id))!.nextStep).toEqual({ kind: 'reminder', index: 0, at: minutes(100) });
  });

  it('looks for an announcement an earlier attempt may have posted, rather than posting it twice; a failure for now waits, using up no attempt', async () => {
    const r = await issue(DRILL_INPUT);
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    // The post got through but its answer was lost (a timeout: it may have been done).
    let lost = true;
    const post = f.chat.post.bind(f.chat);
    f.chat.post = async (target, message, k) => {
      const ref = await post(target, message, k);
      if (lost) {
        lost = false;
        throw new ChatError('transient', 'timeout', { reason: 'timeout' });
      }
      return ref;
    };
    // Before the window the job does not fail (a job that gave up would start the ladder before the drill): it waits.
    const failed = await rejected(f.core.deliver(jma.id));
    expect(failed.code).toBe('DRILL.NOT_STARTED');
    expect(failed.detail['retryAfterMs']).toBe(NOTICE_RETRY_MS);
    expect((await f.store.getDelivery(jma.id))!.drillNotice).toBeUndefined();
    expect((await rejected(f.core.deliver(jma.id))).code).toBe('DRILL.NOT_STARTED');
    expect(f.chat.in(jma.channel.channelId)).toHaveLength(1);
    expect(f.chat.searches.map((s) => s.key)).toEqual([`${jma.id}.drill-notice`]);
    expect((await f.store.getDelivery(jma.id))!.drillNotice?.messages).toEqual([f.chat.in(jma.channel.channelId)[0]!.ref]);
  });

  it('waits as long as the platform asks when it throttles the announcement, and from the window’s start fails as any post', async () => {
    const r = await issue(DRILL_INPUT);
    const jma = r.deliveries.find((d) => d.memberId === 'jma')!;
    f.chat.failPosts = () => new ChatError('rate_limited', 'ratelimited', { retryAfterMs: 45_000 });
    expect((await rejected(f.core.deliver(jma.id))).detail['retryAfterMs']).toBe(45_000);
    // Close to the start: never past it.
    f.clock.set(new Date(Date.parse(DRILL_FROM) - 10_000).toISOString());
    expect((await rejected(f.core.deliver(jma.id))).detail['retryAfterMs']).toBe(10_000);
    f.clock.set(DRILL_FROM);
    await expect(f.core.deliver(jma.id)).rejects.toMatchObject({ kind: 'rate_limited' });
    expect(f.chat.posts).toEqual([]);
  });

  it('records an announcement the platform refuses for good; the drill’s own copy then fails as any would', async () => {
    const r = await issue(DRILL_INPUT);
    const jda = r.deliveries.find((d) => d.memberId === 'jda')!;
    f.chat.failPosts = (target) => (target.channelId === jda.channel.channelId ? new ChatError('permanent', 'channel_not_found', { reason: 'channel_gone' }) : undefined);
    expect((await rejected(f.core.deliver(jda.id))).code).toBe('DRILL.NOT_STARTED');
    expect((await f.store.getDelivery(jda.id))!.drillNotice).toEqual({ at: T0, messages: [], refused: 'channel_gone' });
    expect((await f.store.listAudit(r.advisory.id)).find((e) => e.action === 'drill.announced')?.detail).toMatchObject({ posted: 0, refused: 'channel_gone' });
    f.clock.set(DRILL_FROM);
    expect(await f.core.deliver(jda.id)).toEqual({ outcome: 'failed', code: 'channel_gone' });
  });

  it('announces a TLP:RED drill into the member’s channel (it carries no content), saying the drill comes by direct message', async () => {
    const r = await issue({ ...DRILL_INPUT, tlp: 'TLP:RED', targets: { members: ['jma'] } });
    const jma = r.deliveries[0]!;
    await rejected(f.core.deliver(jma.id));
    const [notice] = f.chat.in(jma.channel.channelId);
    expect(notice!.message.kind === 'notice' && notice!.message.view).toMatchObject({ kind: 'drill_announcement', tlp: 'TLP:GREEN', direct: true });
  });

  it('sends at once, after the announcement, when the window has already started', async () => {
    const r = await issue({ ...DRILL_INPUT, drillPlan: { announce: true, from: minutes(-30), to: minutes(30) }, targets: { members: ['jma'] } });
    expect(r.advisory.issuedAt).toBe(T0);
    expect(r.advisory.drillPlan).toEqual({ announced: { at: T0, window: { from: minutes(-30), to: minutes(30) } } });
    expect(await f.core.deliver(r.deliveries[0]!.id)).toEqual({ outcome: 'posted' });
    expect(f.chat.posts.map((p) => kindOf(p.message))).toEqual(['notice:drill_announcement', 'advisory']);
  });

  it('refuses a window already over or too far ahead, with the form’s other problems, storing and numbering nothing', async () => {
    const over = await rejected(issue({ ...DRILL_INPUT, drillPlan: { announce: true, from: minutes(-60), to: minutes(-1) } }));
    expect(over.code).toBe('ADVISORY.INVALID');
    expect(over.detail['fields']).toEqual([{ field: 'drillTo', message: DT.ended }]);
    const far = await rejected(f.core.previewAdvisory(SECRETARIAT, { ...DRILL_INPUT, drillPlan: { announce: true, from: minutes(91 * 24 * 60), to: minutes(91 * 24 * 60 + 60) } }));
    expect(far.detail['fields']).toEqual([{ field: 'drillFrom', message: DT.tooFarAhead(90) }]);
    const many = await rejected(issue({ ...DRILL_INPUT, title: '', drillPlan: { announce: true, to: 'soon' } }));
    expect((many.detail['fields'] as { field: string }[]).map((e) => e.field)).toEqual(['title', 'drillFrom', 'drillTo']);
    expect(await f.store.listRecentAdvisories(10)).toEqual([]);
    expect(await f.store.nextAdvisoryNumber(2026, 'DRL')).toBe(1);
  });
});

describe('the drill form', () => {
  it('opens for the secretariat filled in from the template, the window from now', async () => {
    const form = await f.core.openDrillForm(SECRETARIAT);
    expect(form.options).toEqual(await f.core.openAdvisoryForm(SECRETARIAT));
    expect(form.entries).toMatchObject({ title: DEFAULT_DRILL_TEMPLATE.title, drill: true, tlp: 'TLP:GREEN', drillPlan: { announce: false, from: minutes(1440), to: minutes(1560) } });
    // As filled in, it previews and issues a drill.
    expect((await f.core.previewAdvisory(SECRETARIAT, form.entries)).message.advisoryId).toBe('DRL-2026-????');
  });

  it('uses the template it was given', async () => {
    f.deps.drillTemplate = DrillTemplateFile.parse({ ...DEFAULT_DRILL_TEMPLATE, title: '【訓練】別のテンプレート', schedule: { announce: true, startsInMinutes: 10, lengthMinutes: 30 } });
    const form = await f.core.openDrillForm(SECRETARIAT);
    expect(form.entries).toMatchObject({ title: '【訓練】別のテンプレート', drillPlan: { announce: true, from: minutes(10), to: minutes(40) } });
  });

  it('refuses anyone but the secretariat, and audits the attempt', async () => {
    expect((await rejected(f.core.openDrillForm(OUTSIDER))).code).toBe('AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ actor: OUTSIDER, action: 'advisory.refused', detail: { attempted: 'advisory.drill_form' } });
  });
});

describe('a drill’s whole life', () => {
  it('labels every message it posts or edits as a drill: announcement, copies, card, reminder, board, task, alert, follow-up, correction, summary', async () => {
    const run = await runDrill();
    try {
      const kinds = new Set(run.messages.map((m) => kindOf(m.message)));
      for (const kind of ['notice:drill_announcement', 'advisory', 'notice:advisory_issued', 'reminder', 'phone_board', 'phone_task', 'notice:alert_digest', 'followup', 'notice:advisory_closed']) {
        expect(kinds, kind).toContain(kind);
      }
      for (const m of run.messages) {
        expect((m.message.view as { drill?: boolean }).drill, `${m.how} ${kindOf(m.message)}`).toBe(true);
        const id = (m.message.view as { advisoryId?: string }).advisoryId;
        if (id !== undefined) expect(id).toBe(run.advisory.id);
      }
      // The correction edited the copies in place.
      expect(run.messages.some((m) => m.how === 'edited' && m.message.kind === 'advisory' && m.message.view.corrections.length === 1)).toBe(true);
      const closing = run.messages.find((m) => kindOf(m.message) === 'notice:advisory_closed')!.message;
      expect(closing.kind === 'notice' && closing.view.kind === 'advisory_closed' && closing.view.summary.drill).toBe(true);
      expect(run.advisory).toMatchObject({ id: 'DRL-2026-0001', state: 'closed', drillPlan: { announced: { at: T0 } } });
    } finally {
      await run.f.close();
    }
  });
});
