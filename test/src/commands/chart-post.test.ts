/**
 * The reach chart posted with the closing summary (commands/chart-post.ts, through tellClosing): once into every
 * secretariat channel whose platform can post a picture, after the summary; never on a platform that cannot; drills
 * labelled; a chart that cannot be drawn, is too large or is refused never stops the summary and is never silent; a
 * retried closing posts it once, or says it may show twice.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chartKey } from '../../../src/commands/closing.js';
import { reachChart } from '../../../src/commands/reach.js';
import type * as RenderModule from '../../../src/view/reach-render.js';
import type { DirectoryFile } from '../../../src/directory/schema.js';
import { ChatError } from '../../../src/ports/chat.js';
import { coreFixture, exampleDirectoryFile, PICTURES_ON, RecordingChat, SECRETARIAT, type CoreFixture, type LogLine } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes } from './helpers.js';

// The chart is the reach report's own, drawn for real (its PNG by reach-render.ts's svgToPng); a test may make the drawing fail.
const drawing = vi.hoisted(() => ({ fail: false, calls: [] as number[] }));
vi.mock('../../../src/view/reach-render.js', async (importOriginal) => {
  const actual = await importOriginal<typeof RenderModule>();
  return {
    ...actual,
    svgToPng: async (svg: string, scale?: number) => {
      drawing.calls.push(scale ?? 2);
      if (drawing.fail) throw new Error('no font to draw with');
      return actual.svgToPng(svg, scale);
    },
  };
});

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const SEC_A = 'C0SEC00001';
const SEC_B = 'C0SEC00002';
const SEC_TEAMS = '19:secretariat0001@thread.tacv2';

let f: CoreFixture;

afterEach(async () => {
  drawing.fail = false;
  drawing.calls.length = 0;
  vi.restoreAllMocks();
  await f.close();
});

/** The example directory with the secretariat in two Slack channels and a Teams channel. */
async function threeSecretariatChannels(): Promise<DirectoryFile> {
  const file = structuredClone(await exampleDirectoryFile());
  file.secretariat.channels = [
    { platform: 'slack', workspace: 'T0CEPTOAR0', id: SEC_A },
    { platform: 'slack', workspace: 'T0CEPTOAR0', id: SEC_B },
    { platform: 'teams', workspace: '6f0d2c1e-0000-4000-8000-00000000c0f1', id: SEC_TEAMS },
  ];
  return file;
}

/** jma acknowledges at 10 minutes, jda never; the secretariat closes at 30. */
async function closedAdvisory(input: { drill?: boolean } = {}): Promise<string> {
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda'], input);
  f.clock.set(minutes(10));
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, deliveries.find((d) => d.memberId === 'jma')!.channel.channelId) });
  f.clock.set(minutes(30));
  await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
  return advisory.id;
}

const summaryKey = (id: string) => `${id}.closing.command`;
const linesSaying = (lines: LogLine[], text: string) => lines.filter((l) => l.msg?.includes(text));

describe('the reach chart with the closing summary', () => {
  it('goes once into every secretariat channel whose platform can post a picture, after the summary, and on no other', async () => {
    f = await coreFixture({ directory: await threeSecretariatChannels() });
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const teams = new RecordingChat();
    teams.capabilities = { findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: false };
    f.deps.chats.teams = teams;
    const id = await closedAdvisory();

    expect(await f.core.tellClosing(id)).toBe(3);

    const advisory = (await f.store.getAdvisory(id))!;
    const key = chartKey(advisory);
    expect(key).toBe(`${id}.closing.chart.command`);
    expect(f.chat.pictures.map((p) => [p.target.channelId, p.key])).toEqual([
      [SEC_A, key],
      [SEC_B, key],
    ]);
    // Both summaries first, then the pictures.
    expect(f.chat.sequence.filter((s) => s.includes('.closing.'))).toEqual([`post:${summaryKey(id)}`, `post:${summaryKey(id)}`, `picture:${key}`, `picture:${key}`]);
    // The platform without pictures has its summary, and was never asked for one.
    expect(teams.in(SEC_TEAMS, 'notice')).toHaveLength(1);
    expect(teams.pictures).toEqual([]);

    const picture = f.chat.pictures[0]!.image;
    expect(Buffer.from(picture.png.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(picture.png.byteLength).toBeGreaterThan(1_000);
    expect(picture.filename).toBe(`${id}-reach.png`);
    expect(picture.view).toEqual({
      kind: 'reach_chart',
      advisoryId: id,
      title: advisory.title,
      tlp: 'TLP:AMBER',
      severity: 'level3',
      drill: false,
      heading: { ja: '受領確認の推移', en: 'Share acknowledged over time' },
      altText: {
        ja: '受領確認の推移のグラフ。対象 2 構成員のうち受領確認 1件（50%）、未確認 1件（50%）。受領確認までの時間の中央値 10分。',
        en: 'Chart of the share acknowledged over time: of 2 members targeted, 1 (50%) acknowledged, 1 (50%) never. Median time to acknowledgement: 10 minutes.',
      },
    });
    // Drawn once for both channels, at two pixels per unit; and the same PNG as the reach report's own (Core.reachChart).
    expect(drawing.calls).toEqual([2]);
    expect(Buffer.from(picture.png).equals(Buffer.from((await reachChart(f.deps, id)).png))).toBe(true);
    expect((await f.store.getAdvisory(id))?.closure?.told).toMatchObject({ ok: true });
  });

  it("goes with a drill's summary too, labelled as a drill", async () => {
    f = await coreFixture();
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const id = await closedAdvisory({ drill: true });
    expect(id).toMatch(/^DRL-/);
    await f.core.tellClosing(id);
    expect(f.chat.pictures).toHaveLength(1);
    expect(f.chat.pictures[0]?.image.view).toMatchObject({ advisoryId: id, drill: true });
    expect(f.chat.pictures[0]?.key).toBe(`${id}.closing.chart.command`);
  });

  it('is neither drawn nor asked for where no secretariat platform can post a picture', async () => {
    f = await coreFixture();
    const id = await closedAdvisory();
    expect(await f.core.tellClosing(id)).toBe(1);
    expect(drawing.calls).toEqual([]);
    expect(f.chat.pictures).toEqual([]);
    expect(f.lines.filter((l) => l.msg?.includes('reach chart'))).toEqual([]);
  });

  it('that cannot be drawn does not stop the summary, and the log says so once, with the advisory', async () => {
    f = await coreFixture({ directory: await threeSecretariatChannels() });
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    drawing.fail = true;
    const id = await closedAdvisory();

    expect(await f.core.tellClosing(id)).toBe(2);
    expect(f.chat.in(SEC_A, 'notice').concat(f.chat.in(SEC_B, 'notice')).map((p) => p.key)).toEqual([summaryKey(id), summaryKey(id)]);
    expect(f.chat.pictures).toEqual([]);
    const logged = linesSaying(f.lines, 'reach chart');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', obj: { advisoryId: id, key: `${id}.closing.chart.command` } });
    expect(logged[0]?.msg).toContain('could not be drawn');
    expect((await f.store.getAdvisory(id))?.closure?.told).toMatchObject({ ok: true });
  });

  it('refused by the platform does not stop the summary: logged with the reason, and the next channel still gets it', async () => {
    f = await coreFixture({ directory: await threeSecretariatChannels() });
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    f.chat.failPictures = (target) => (target.channelId === SEC_A ? new ChatError('permanent', 'file_uploads_disabled', { reason: 'forbidden' }) : undefined);
    const id = await closedAdvisory();

    expect(await f.core.tellClosing(id)).toBe(2);
    expect(f.chat.pictures.map((p) => p.target.channelId)).toEqual([SEC_B]);
    const refused = linesSaying(f.lines, 'posting the reach chart failed');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ level: 'warn', obj: { advisoryId: id, channel: SEC_A, code: 'file_uploads_disabled', reason: 'forbidden', maybeDone: false } });
    expect((await f.store.getAdvisory(id))?.closure?.told).toMatchObject({ ok: true });
    // The refusal proved nothing was posted: the ledger is settled, so a later try would not warn of a duplicate.
    expect(await f.store.beginPost(`${id}.closing.chart.command@slack:${SEC_A}`, minutes(40))).toEqual({ mayHavePosted: false });
    expect(await f.store.beginPost(`${id}.closing.chart.command@slack:${SEC_B}`, minutes(40))).toEqual({ mayHavePosted: true });
  });

  it('lost on its way (a timeout): the ledger stays open, so a later try says it may show twice', async () => {
    f = await coreFixture({ directory: await threeSecretariatChannels() });
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    f.chat.failPictures = (target) => (target.channelId === SEC_A ? new ChatError('transient', 'request_timeout', { reason: 'timeout', maybeDone: true }) : undefined);
    const id = await closedAdvisory();

    expect(await f.core.tellClosing(id)).toBe(2);
    expect(f.chat.pictures.map((p) => p.target.channelId)).toEqual([SEC_B]);
    expect(linesSaying(f.lines, 'posting the reach chart failed').map((l) => l.obj)).toEqual([
      expect.objectContaining({ channel: SEC_A, code: 'request_timeout', maybeDone: true }),
    ]);
    expect(await f.store.beginPost(`${id}.closing.chart.command@slack:${SEC_A}`, minutes(40))).toEqual({ mayHavePosted: true });
  });

  it('with the store failing at its ledger, the summary stands and the log says the chart could not be posted', async () => {
    f = await coreFixture();
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const id = await closedAdvisory();
    const beginPost = f.store.beginPost.bind(f.store);
    // Only the chart's ledger fails: the summary's own post goes through the same ledger.
    vi.spyOn(f.store, 'beginPost').mockImplementation((key, at) => (key.includes('.closing.chart.') ? Promise.reject(new Error('disk full')) : beginPost(key, at)));

    expect(await f.core.tellClosing(id)).toBe(1);
    expect(f.chat.pictures).toEqual([]);
    const logged = linesSaying(f.lines, 'could not be posted');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', obj: { advisoryId: id, key: `${id}.closing.chart.command`, err: expect.objectContaining({ message: 'disk full' }) } });
    expect((await f.store.getAdvisory(id))?.closure?.told).toMatchObject({ ok: true });
  });

  it('is posted once when the closing job runs again after it finished', async () => {
    f = await coreFixture();
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const id = await closedAdvisory();
    expect(await f.core.tellClosing(id)).toBe(1);
    expect(await f.core.tellClosing(id)).toBe(0);
    expect(f.chat.pictures).toHaveLength(1);
    expect(f.chat.in(SEC_A, 'notice')).toHaveLength(1);
    expect(drawing.calls).toEqual([2]);
  });

  it('is posted again, saying it may show twice, when the job stopped after the picture and before the closing was told', async () => {
    f = await coreFixture();
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const id = await closedAdvisory();
    vi.spyOn(f.store, 'saveAdvisory').mockRejectedValueOnce(new Error('disk full'));
    await expect(f.core.tellClosing(id)).rejects.toThrow('disk full');
    expect(f.chat.pictures).toHaveLength(1);
    expect(linesSaying(f.lines, 'may show twice')).toEqual([]);

    expect(await f.core.tellClosing(id)).toBe(1);
    // The summary is found again by its key (Slack can); the picture cannot be, so it goes again, and the log says so.
    expect(f.chat.in(SEC_A, 'notice')).toHaveLength(1);
    expect(f.chat.pictures).toHaveLength(2);
    const warned = linesSaying(f.lines, 'may show twice');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ level: 'warn', obj: { advisoryId: id, channel: SEC_A, key: `${id}.closing.chart.command` } });
    expect(linesSaying(f.lines, 'reach chart posted').at(-1)).toMatchObject({ obj: { possibleDuplicate: true } });
  });

  it('a withdrawal after a told closing is told again, with a chart of its own key', async () => {
    f = await coreFixture();
    f.chat.capabilities = { ...f.chat.capabilities, postImage: PICTURES_ON };
    const id = await closedAdvisory();
    await f.core.tellClosing(id);
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: id, input: { reason: '誤報' } });
    await f.core.tellClosing(id);
    expect(f.chat.pictures.map((p) => p.key)).toEqual([`${id}.closing.chart.command`, `${id}.closing.chart.withdrawn`]);
    expect(linesSaying(f.lines, 'may show twice')).toEqual([]);
  });
});

describe('a chart too large for a platform', () => {
  it('is drawn smaller for it; if even that is too large, it is left out there and logged, and the summary stands', async () => {
    f = await coreFixture({ directory: await threeSecretariatChannels() });
    const id = await closedAdvisory();
    // Slack here takes one byte less than the chart at its full size (drawn first to know it); Teams nothing at all.
    const full = await reachChart(f.deps, id);
    drawing.calls.length = 0; // the closing's own drawings from here
    f.chat.capabilities = { ...f.chat.capabilities, postImage: { maxBytes: full.png.byteLength - 1 } };
    const teams = new RecordingChat();
    teams.capabilities = { ...teams.capabilities, postImage: { maxBytes: 0 } };
    f.deps.chats.teams = teams;

    expect(await f.core.tellClosing(id)).toBe(3);
    const [a, b] = f.chat.pictures;
    expect(f.chat.pictures).toHaveLength(2);
    expect(a?.target.channelId).toBe(SEC_A);
    expect(b?.target.channelId).toBe(SEC_B);
    // Drawn at one pixel per unit: lighter, still a PNG, the same one for both channels of the platform.
    expect(a!.image.png.byteLength).toBeLessThan(full.png.byteLength);
    expect(a!.image.png.byteLength).toBeGreaterThan(1_000);
    expect(Buffer.from(a!.image.png.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);
    expect(b!.image.png).toBe(a!.image.png);
    expect(drawing.calls).toEqual([2, 1]);
    // Teams here takes nothing at all: left out, with the sizes in the log.
    expect(teams.pictures).toEqual([]);
    expect(teams.in(SEC_TEAMS, 'notice')).toHaveLength(1);
    const tooLarge = linesSaying(f.lines, 'too large');
    expect(tooLarge).toHaveLength(1);
    expect(tooLarge[0]).toMatchObject({ level: 'warn', obj: { advisoryId: id, channel: SEC_TEAMS, maxBytes: 0, bytes: a!.image.png.byteLength } });
  });

  it('a chart exactly at a platform\'s limit goes at its full size, drawn once', async () => {
    f = await coreFixture();
    const id = await closedAdvisory();
    const full = await reachChart(f.deps, id);
    drawing.calls.length = 0;
    f.chat.capabilities = { ...f.chat.capabilities, postImage: { maxBytes: full.png.byteLength } };
    await f.core.tellClosing(id);
    expect(f.chat.pictures.map((p) => p.image.png.byteLength)).toEqual([full.png.byteLength]);
    expect(drawing.calls).toEqual([2]);
    expect(linesSaying(f.lines, 'too large')).toEqual([]);
  });
});
