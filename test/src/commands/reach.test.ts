/**
 * The reach report through the core, from a real life of an advisory: presses, a reminder, a phone task reached,
 * a ladder climbed to the alert; live, then archived (the same figures from the transcript); as a view, as files
 * (audited) and as the chart for the closing summary; for the secretariat only.
 */
import { inProcessCharts, type ChartDrawer } from '../../../src/view/chart-drawer.js';
import { XMLValidator } from 'fast-xml-parser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { transcriptOf } from '../../../src/commands/archive.js';
import { pngOf, reachFileOf, reachOf, reachSourcesOf, reachSvgFor } from '../../../src/commands/reach.js';
import { isBotError, type ErrorCode } from '../../../src/errors.js';
import { coreFixture, directoryWithContacts, ONCALL, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, climbLadder, issueAndPost, JMA_STAFF, minutes, OUTSIDER, reachedChoice, untilClaimed } from './helpers.js';

let f: CoreFixture;

beforeEach(async () => {
  f = await coreFixture();
});

afterEach(async () => {
  await f.close();
});

/**
 * Four members of a level-3 advisory (deadline 60 min, reminder at 40, next contact every 20; two contacts each):
 * jma presses at 10 min; jda is reminded at 40 and presses at 50; jpa is phoned and reached at 70 through its second
 * contact; jna climbs the whole ladder to the secretariat's alert.
 */
async function lifeOfAnAdvisory(): Promise<string> {
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda', 'jpa', 'jna']);
  const of = (member: string) => deliveries.find((d) => d.memberId === member)!;
  f.clock.set(minutes(10));
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, of('jma').channel.channelId) });
  for (const member of ['jda', 'jpa', 'jna']) {
    const d = (await f.store.getDelivery(of(member).id))!;
    f.clock.set(minutes(40));
    await f.core.runEscalationStep({ deliveryId: d.id, token: d.escalationToken, kind: 'reminder', index: 0 });
  }
  f.clock.set(minutes(50));
  await f.core.acknowledgeDelivery({ deliveryId: of('jda').id, actor: { platform: 'slack', userId: 'U0JDA00001', name: '高橋 誠' }, via: 'button' });
  const { task, message } = await untilClaimed(f, of('jpa').id);
  f.clock.set(minutes(70));
  await f.core.phoneTaskAction({ actor: ONCALL, message, action: 'reached', choice: await reachedChoice(f, task.id, 1) });
  await climbLadder(f, of('jna').id);
  f.clock.set(minutes(110));
  return advisory.id;
}

async function refusal(p: Promise<unknown>, code: ErrorCode): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isBotError(err, code), `expected ${code}, got ${String(err)}`).toBe(true);
}

describe('the reach report of a live advisory', () => {
  it('counts each stage from what happened, with the times and the ladder as the policy set it', async () => {
    const id = await lifeOfAnAdvisory();
    const { report, archived } = await reachOf(reachSourcesOf(f.deps), id);
    expect(archived).toBe(false);
    expect(report.members.map((m) => [m.memberId, m.how, m.stage, m.seconds ?? null])).toEqual([
      ['jda', 'button', 'after-reminder', 3000],
      ['jma', 'button', 'before-reminder', 600],
      ['jna', 'never', 'never', null],
      ['jpa', 'phone', 'by-phone', 4200],
    ]);
    expect(report.members.find((m) => m.memberId === 'jpa')?.contact).toMatchObject({ index: 1, name: '渡辺 香織' });
    expect(report.members.find((m) => m.memberId === 'jna')?.steps).toEqual({ reminder: minutes(40), phone: minutes(60), alert: minutes(100) });
    expect(report.rates).toEqual({
      beforeReminder: { count: 1, percent: 25 },
      beforeDeadline: { count: 2, percent: 50 },
      afterPhoneStep: { count: 1, percent: 25 },
      byPhone: { count: 1, percent: 25 },
      acknowledged: { count: 3, percent: 75 },
      never: { count: 1, percent: 25 },
      failed: { count: 0, percent: 0 },
    });
    expect(report.times).toEqual({ acknowledged: 3, medianSeconds: 3000, p90Seconds: 3960 });
    // Two contacts each in the example directory: the alert 20 minutes after the next contact's 80.
    expect(report.ladder.map((m) => [m.kind, m.seconds, m.source, m.reached])).toEqual([
      ['reminder', 2400, 'policy', 3],
      ['phone', 3600, 'policy', 2],
      ['alert', 6000, 'policy', 1],
    ]);
    expect(report.endSeconds).toBe(6600);
    expect(report.closed).toBeUndefined();
  });

  it('gives the same figures once archived, now from the transcript, ending at the closure', async () => {
    const id = await lifeOfAnAdvisory();
    const live = (await reachOf(reachSourcesOf(f.deps), id)).report;
    await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: id });
    await f.core.syncAdvisory(id);
    for (const w of f.jobs.of('sync')) await f.core.syncDelivery(w.deliveryId);
    await f.core.tellClosing(id);
    await f.core.syncAdvisory(id);
    expect(await f.core.archiveAdvisory(id)).toBe('archived');
    f.clock.set(minutes(500));
    const { report, archived } = await reachOf(reachSourcesOf(f.deps), id);
    expect(archived).toBe(true);
    expect(report.rates).toEqual(live.rates);
    expect(report.members).toEqual(live.members);
    expect(report.ladder).toEqual(live.ladder);
    expect(report.closed).toEqual({ at: minutes(110), cause: 'command' });
    expect(report.endSeconds).toBe(6600);
    expect(report.asOf).toBe(minutes(500));
  });

  it('without the advisory\'s record (only its transcript), marks the ladder from the audit', async () => {
    const id = await lifeOfAnAdvisory();
    const transcript = await transcriptOf(reachSourcesOf(f.deps), (await f.store.getAdvisory(id))!);
    // A store that has the transcript but no longer the advisory's own record (its policy).
    const store = Object.assign(Object.create(f.store) as typeof f.store, { getAdvisory: async () => null, getTranscript: async () => transcript });
    const { report } = await reachOf({ ...reachSourcesOf(f.deps), store }, id);
    expect(report.ladder.map((m) => [m.kind, m.seconds, m.source])).toEqual([
      ['reminder', 2400, 'record'],
      ['phone', 3600, 'record'],
      ['alert', 6000, 'record'],
    ]);
  });

  it('reads the id as people type it, drills too; an unknown or malformed id is not found', async () => {
    const id = await lifeOfAnAdvisory();
    expect((await reachOf(reachSourcesOf(f.deps), id.toLowerCase().replace(/-0+/, '-'))).report.advisoryId).toBe(id);
    await refusal(reachOf(reachSourcesOf(f.deps), 'ADV-2026-9999'), 'ADVISORY.NOT_FOUND');
    await refusal(reachOf(reachSourcesOf(f.deps), 'drl-2026-1'), 'ADVISORY.NOT_FOUND');
    const err = await reachOf(reachSourcesOf(f.deps), 'nonsense').catch((e: unknown) => e);
    expect(isBotError(err, 'ADVISORY.NOT_FOUND') && err.detail).toEqual({ advisoryId: 'nonsense' });
  });

  it('marks the alert for the member with the fewest contacts; with nobody targeted, as for one contact', async () => {
    await f.close();
    f = await coreFixture({ directory: await directoryWithContacts('jna', 3) });
    const id = await lifeOfAnAdvisory();
    // jna has three contacts now, the others two: the first alert can come when a two-contact member's does.
    expect((await reachOf(reachSourcesOf(f.deps), id)).report.ladder.find((m) => m.kind === 'alert')?.seconds).toBe(6000);
    const nobody = { ...(await transcriptOf(reachSourcesOf(f.deps), (await f.store.getAdvisory(id))!)), deliveries: [], members: [] };
    const store = Object.assign(Object.create(f.store) as typeof f.store, { getTranscript: async () => nobody });
    const { report } = await reachOf({ ...reachSourcesOf(f.deps), store }, id);
    expect(report.targeted).toBe(0);
    expect(report.ladder.find((m) => m.kind === 'alert')?.seconds).toBe(4800);
  });

  it('with no directory counts, the alert is marked as for one contact', async () => {
    const id = await lifeOfAnAdvisory();
    const { report } = await reachOf({ ...reachSourcesOf(f.deps), contactsOf: undefined }, id);
    expect(report.ladder.find((m) => m.kind === 'alert')?.seconds).toBe(4800);
  });
});

describe('the report through the core', () => {
  it('worded for the status page, for the secretariat only (a refusal is audited)', async () => {
    const id = await lifeOfAnAdvisory();
    const view = await f.core.reachView(SECRETARIAT, id);
    expect(view.rates.find((r) => r.key === 'acknowledged')?.text).toEqual({ ja: '3件（75%）', en: '3 (75%)' });
    expect(view.state).toBe('open');
    await refusal(f.core.reachView(OUTSIDER, id), 'AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.refused', actor: OUTSIDER, detail: { attempted: 'advisory.reach' } });
  });

  it('as a file, each taking-out audited with its format (and what it was compared with)', async () => {
    const id = await lifeOfAnAdvisory();
    const csv = await f.core.reachFile({ actor: SECRETARIAT, advisoryId: id, format: 'csv' });
    expect(csv).toMatchObject({ filename: `${id}-reach.csv`, contentType: 'text/csv; charset=utf-8', archived: false });
    expect(String(csv.body).startsWith('\uFEFF')).toBe(true);
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.exported', actor: SECRETARIAT, advisoryId: id, at: minutes(110), detail: { report: 'reach', format: 'csv', archived: false } });
    expect(f.audit.at(-1)?.detail).not.toHaveProperty('comparedWith');

    const { advisory: other } = await issueAndPost(f, ['jma']);
    const both = await f.core.reachFile({ actor: SECRETARIAT, advisoryId: id, format: 'json', compareWith: other.id });
    expect(both.filename).toBe(`${id}-reach-vs-${other.id}.json`);
    const json = JSON.parse(String(both.body));
    expect(json.comparison.previous.advisoryId).toBe(other.id);
    expect(json.current.rates.acknowledged.count).toBe(3);
    expect(json.previous.targeted).toBe(1);
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.exported', detail: { report: 'reach', format: 'json', comparedWith: other.id } });
    // Two takings-out, two events.
    expect(f.audit.filter((e) => e.action === 'advisory.exported')).toHaveLength(2);

    await refusal(f.core.reachFile({ actor: OUTSIDER, advisoryId: id, format: 'csv' }), 'AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.refused', actor: OUTSIDER, detail: { attempted: 'advisory.reach' } });
    expect(f.audit.filter((e) => e.action === 'advisory.exported')).toHaveLength(2);
    await refusal(f.core.reachFile({ actor: SECRETARIAT, advisoryId: id, format: 'csv', compareWith: 'ADV-2026-9999' }), 'ADVISORY.NOT_FOUND');
    expect(f.audit.filter((e) => e.action === 'advisory.exported')).toHaveLength(2);
  });

  it('refuses a format it does not make, naming the field, and takes nothing out', async () => {
    const id = await lifeOfAnAdvisory();
    const err = await f.core.reachFile({ actor: SECRETARIAT, advisoryId: id, format: 'pdf' as 'csv' }).catch((e: unknown) => e);
    expect(isBotError(err, 'ADVISORY.INVALID')).toBe(true);
    expect((err as { detail: Record<string, unknown> }).detail['fields']).toEqual([{ field: 'format', message: { ja: '形式は csv・json・svg・png のいずれかです。', en: 'The format is csv, json, svg or png.' } }]);
    expect(f.audit.filter((e) => e.action === 'advisory.exported')).toHaveLength(0);
  });

  it('the chart for the status page: the SVG for the secretariat only, shown and not audited', async () => {
    const id = await lifeOfAnAdvisory();
    const before = f.audit.length;
    const svg = await f.core.reachSvg(SECRETARIAT, id);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('reach_series_marks');
    expect(f.audit).toHaveLength(before);
    await refusal(f.core.reachSvg(OUTSIDER, id), 'AUTH.NOT_SECRETARIAT');
    expect(f.audit.at(-1)).toMatchObject({ action: 'advisory.refused', detail: { attempted: 'advisory.reach' } });
  });

  it('the chart for the closing summary: SVG text and PNG bytes of the same report', async () => {
    const id = await lifeOfAnAdvisory();
    const chart = await f.core.reachChart(id);
    expect(XMLValidator.validate(chart.svg)).toBe(true);
    expect(chart.svg).toContain(`${id} 受領確認の推移`);
    expect(Buffer.from(chart.png).subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(chart.report.rates.acknowledged.count).toBe(3);
  });
});

describe('reachFileOf', () => {
  it('names each format\'s file and type; the chart is this advisory\'s even beside another', async () => {
    const id = await lifeOfAnAdvisory();
    const { report } = await reachOf(reachSourcesOf(f.deps), id);
    const svg = await reachFileOf(inProcessCharts, report, 'svg', true, report);
    expect(svg).toMatchObject({ filename: `${id}-reach.svg`, contentType: 'image/svg+xml; charset=utf-8', archived: true });
    expect(String(svg.body)).toMatch(/^<svg /);
    const png = await reachFileOf(inProcessCharts, report, 'png', false);
    expect(png).toMatchObject({ filename: `${id}-reach.png`, contentType: 'image/png' });
    expect(png.body).toBeInstanceOf(Uint8Array);
    const json = await reachFileOf(inProcessCharts, report, 'json', false);
    expect(json).toMatchObject({ filename: `${id}-reach.json`, contentType: 'application/json; charset=utf-8' });
    expect(JSON.parse(String(json.body)).advisoryId).toBe(id);
    const csv = await reachFileOf(inProcessCharts, report, 'csv', false, report);
    expect(csv.filename).toBe(`${id}-reach-vs-${id}.csv`);
    expect(String(csv.body)).toContain('差 / difference');
  });
});

describe('what is drawn', () => {
  it('asks for a PNG only where one is wanted: the SVG file and the status page\'s chart draw none, the PNG file one at 2×', async () => {
    const id = await lifeOfAnAdvisory();
    const asked: number[][] = [];
    const recording: ChartDrawer = { draw: (spec, scales) => (asked.push([...scales]), inProcessCharts.draw(spec, scales)) };
    const { report } = await reachOf(reachSourcesOf(f.deps), id);
    await reachFileOf(recording, report, 'svg', false);
    await reachSvgFor({ ...f.deps, charts: recording }, SECRETARIAT, id);
    await reachFileOf(recording, report, 'png', false);
    expect(asked).toEqual([[], [], [2]]);
  });

  it('a drawing without the PNG asked for is an error, not an empty picture', () => {
    expect(() => pngOf({ svg: '<svg/>', png: new Map([[1, new Uint8Array([1])]]) }, 2)).toThrow('the chart was drawn without its PNG at 2×');
    expect(pngOf({ svg: '<svg/>', png: new Map([[2, new Uint8Array([7])]]) }, 2)).toEqual(new Uint8Array([7]));
  });
});
