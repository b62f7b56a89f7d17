/**
 * The preview before sending, against in-memory ports: only the secretariat (a refusal is audited like
 * issuing's), the same validation and errors as issuing, the message the delivery renders, recipients
 * counted per platform, TLP:RED direct messages counted per contact, every target that will be refused
 * or skipped with its reason, a digest that moves when what would be sent moves — and no side effect.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DEFAULT_POLICIES, type EscalationPolicies } from '../../../src/domain/escalation.js';
import type { Actor } from '../../../src/domain/platform.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { FIELD_ERROR } from '../../../src/i18n/form-text.js';
import type { AdvisoryView } from '../../../src/view/views.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, RecordingChat, SECRETARIAT, T0, type CoreFixture } from '../../support/core-fixture.js';
import { writeMixedDirectory } from '../../support/mixed-directory.js';
import { minutes, OUTSIDER, rejected } from './helpers.js';

let f: CoreFixture | undefined;
afterEach(async () => {
  await f?.close();
  f = undefined;
});

async function mixedDirectory(): Promise<DirectoryFile> {
  const dir = await mkdtemp(join(tmpdir(), 'ceptoar-preview-'));
  try {
    return await loadDirectoryFile(await writeMixedDirectory(join(dir, 'members.yaml')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A fixture whose directory is `file`, with Teams configured beside Slack unless `teams` is false. */
async function fixture(file?: DirectoryFile, opts: { teams?: boolean; policies?: EscalationPolicies } = {}): Promise<CoreFixture> {
  f = await coreFixture({ ...(file ? { directory: file } : {}), ...(opts.policies ? { policies: opts.policies } : {}) });
  if (opts.teams !== false) {
    const teams = new RecordingChat();
    // Teams cannot tell a shared channel itself: only the directory's flag counts there.
    teams.capabilities = { findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: false };
    f.deps.chats.teams = teams;
  }
  return f;
}

const input = (over: Partial<AdvisoryInput> = {}): AdvisoryInput => ({ ...ISSUE_INPUT, ...over });
const all = (over: Partial<AdvisoryInput> = {}): AdvisoryInput => input({ targets: { allMembers: true, observers: false, groups: [], members: [] }, ...over });

/** Nothing of the advisory exists anywhere: no number taken, no record, no work, no post. */
async function expectNoSideEffects(fx: CoreFixture): Promise<void> {
  expect(await fx.store.nextAdvisoryNumber(2026)).toBe(1);
  expect(await fx.store.getAdvisory('ADV-2026-0001')).toBeNull();
  expect(fx.jobs.ensured).toEqual([]);
  expect(fx.chat.posts).toEqual([]);
  expect(fx.chat.opened).toEqual([]);
  expect((fx.deps.chats.teams as RecordingChat | undefined)?.posts ?? []).toEqual([]);
}

describe('previewing an advisory', () => {
  it('counts the deliveries per platform on a mixed directory, and stores, queues and posts nothing', async () => {
    const fx = await fixture(await mixedDirectory());
    const p = await fx.core.previewAdvisory(SECRETARIAT, all({ tlp: 'TLP:AMBER' }));
    expect(p.organisations).toBe(17);
    expect(p.deliveries).toBe(17);
    expect(p.platforms).toEqual([
      { platform: 'slack', deliveries: 15, channelPosts: 15, directMessages: 0 },
      { platform: 'teams', deliveries: 2, channelPosts: 2, directMessages: 0 },
    ]);
    expect(p.direct).toBeUndefined();
    expect(p.problems).toEqual([]);
    expect(p.sharedCheckedAtSend).toEqual([]);
    await expectNoSideEffects(fx);
    expect(fx.audit).toEqual([]);
  });

  it('shows the message exactly as the delivery renders it for the first recipient', async () => {
    const fx = await fixture();
    const p = await fx.core.previewAdvisory(SECRETARIAT, input({ drill: true, targets: { members: ['jda', 'jma'] } }));
    // Directory order: jma comes first whatever order the form named them in.
    expect(p.sampleMember).toEqual({ ja: '公益社団法人 日本医師会', en: 'Japan Medical Association' });
    const issued = await fx.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r1', input: input({ drill: true, targets: { members: ['jda', 'jma'] } }) });
    await fx.core.deliver(issued.deliveries[0]!.id);
    const posted = fx.chat.in('C0JMA00001', 'advisory')[0]!.message as { kind: 'advisory'; view: AdvisoryView };
    // Only what sending decides differs: the number, the delivery, and (here equal) the times.
    const { advisoryId, deliveryId, ...rest } = posted.view;
    expect({ ...p.message, advisoryId, deliveryId }).toEqual({ advisoryId, deliveryId, ...rest });
    // A drill is numbered in its own series (DRL-…) when sent.
    expect(p.message.advisoryId).toBe('DRL-2026-????');
    expect(p.message).toMatchObject({ title: ISSUE_INPUT.title, drill: true, audience: 'channel', issuedAt: T0, ackDeadline: minutes(60) });
  });

  it('gives the classification, the deadline as it would fall if sent now, the drill flag and whether it escalates', async () => {
    const fx = await fixture();
    fx.clock.advance(5 * 60_000);
    const p = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:GREEN', severity: 'level1', category: 'outage', source: 'mhlw', ackDeadlineMinutes: 30, escalate: false, drill: true }));
    expect(p).toMatchObject({ tlp: 'TLP:GREEN', severity: 'level1', category: 'outage', source: 'mhlw', drill: true, escalate: false, ackDeadline: minutes(35), ackDeadlineSeconds: 30 * 60 });
    const byDefault = await fx.core.previewAdvisory(SECRETARIAT, input({ severity: 'level4' }));
    expect(byDefault).toMatchObject({ escalate: true, ackDeadline: minutes(5 + DEFAULT_POLICIES.level4.deadline / 60), ackDeadlineSeconds: 15 * 60 });
  });

  it('counts TLP:RED direct messages per contact with a chat identity, and members left to the phone', async () => {
    const fx = await fixture(await mixedDirectory());
    const p = await fx.core.previewAdvisory(SECRETARIAT, all({ tlp: 'TLP:RED' }));
    // 15 Slack members with one Slack contact each; JDA's first contact has a Teams id; JPA's contacts have none.
    expect(p.platforms).toEqual([
      { platform: 'slack', deliveries: 15, channelPosts: 0, directMessages: 15 },
      { platform: 'teams', deliveries: 2, channelPosts: 0, directMessages: 1 },
    ]);
    expect(p.direct).toEqual({ contacts: 16, members: 16, phoneOnly: 1 });
    expect(p.problems).toEqual([{ memberId: 'jpa', memberName: { ja: '公益社団法人 日本薬剤師会', en: 'Japan Pharmaceutical Association' }, reason: 'RED_NO_RECIPIENTS', platform: 'teams', channelId: '19:jpa-advisories@thread.tacv2', then: 'phone' }]);
    expect(p.message.audience).toBe('direct');
    await expectNoSideEffects(fx);
  });

  it('counts every contact with an identity: two on Slack are two direct messages', async () => {
    const file = structuredClone(await exampleDirectoryFile());
    file.organisations.find((o) => o.id === 'jma')!.contacts[1]!.chat = { slack: 'U0JMA00002' };
    const fx = await fixture(DirectoryFile.parse(file));
    const p = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:RED', targets: { members: ['jma', 'jda'] } }));
    expect(p.platforms).toEqual([{ platform: 'slack', deliveries: 2, channelPosts: 0, directMessages: 3 }]);
    expect(p.direct).toEqual({ contacts: 3, members: 2, phoneOnly: 0 });
  });

  it('refuses a shared channel under TLP:AMBER+STRICT only, and says Slack checks sharing again when it posts', async () => {
    const fx = await fixture();
    const targets = { allMembers: true, observers: true, groups: [], members: [] };
    const strict = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:AMBER+STRICT', targets }));
    expect(strict.deliveries).toBe(18);
    expect(strict.platforms).toEqual([{ platform: 'slack', deliveries: 18, channelPosts: 17, directMessages: 0 }]);
    expect(strict.problems).toEqual([
      { memberId: 'jahis', memberName: expect.objectContaining({ en: expect.any(String) }), reason: 'TLP_SHARED_CHANNEL', platform: 'slack', channelId: 'C0JAHIS001', then: 'phone' },
    ]);
    expect(strict.sharedCheckedAtSend).toEqual(['slack']);
    const amber = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:AMBER', targets }));
    expect(amber.problems).toEqual([]);
    expect(amber.sharedCheckedAtSend).toEqual([]);
    expect(amber.platforms[0]!.channelPosts).toBe(18);
    // TLP:RED never goes into the channel, so its sharing does not matter: the contacts get direct messages.
    const red = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:RED', targets }));
    expect(red.problems).toEqual([]);
    expect(red.sharedCheckedAtSend).toEqual([]);
    expect(red.direct).toEqual({ contacts: 18, members: 18, phoneOnly: 0 });
  });

  it('lists the problems in directory order, whatever their kind, and counts every targeted organisation', async () => {
    const file = structuredClone(await mixedDirectory());
    for (const id of ['jma', 'jna']) file.organisations.find((o) => o.id === id)!.channels = [];
    const fx = await fixture(DirectoryFile.parse(file), { teams: false });
    const p = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:AMBER+STRICT', targets: { allMembers: true, observers: true, groups: [], members: [] } }));
    expect(p.problems.map((x) => [x.memberId, x.reason])).toEqual([
      ['jma', 'NO_CHANNEL'],
      ['jda', 'PLATFORM_NOT_CONFIGURED'],
      ['jpa', 'PLATFORM_NOT_CONFIGURED'],
      ['jna', 'NO_CHANNEL'],
      ['jahis', 'TLP_SHARED_CHANNEL'],
    ]);
    expect(p.organisations).toBe(18);
    expect(p.deliveries).toBe(16);
    // Only Slack checks sharing itself; Teams (here not even configured) relies on the directory.
    expect(p.sharedCheckedAtSend).toEqual(['slack']);
  });

  it('names only the platforms that check sharing themselves', async () => {
    const fx = await fixture(await mixedDirectory());
    const p = await fx.core.previewAdvisory(SECRETARIAT, all({ tlp: 'TLP:AMBER+STRICT' }));
    expect(p.platforms.map((s) => s.platform)).toEqual(['slack', 'teams']);
    expect(p.sharedCheckedAtSend).toEqual(['slack']);
  });

  it('numbers the sample by the year in Japan', async () => {
    const fx = await fixture();
    fx.clock.set('2026-12-31T15:30:00.000Z');
    expect((await fx.core.previewAdvisory(SECRETARIAT, input())).message.advisoryId).toBe('ADV-2027-????');
  });

  it('names targets with no channel, and channels on a platform the bot is not configured for', async () => {
    const file = structuredClone(await mixedDirectory());
    file.organisations.find((o) => o.id === 'jna')!.channels = [];
    const fx = await fixture(DirectoryFile.parse(file), { teams: false });
    const p = await fx.core.previewAdvisory(SECRETARIAT, all());
    expect(p.organisations).toBe(17);
    expect(p.deliveries).toBe(16);
    expect(p.platforms).toEqual([
      { platform: 'slack', deliveries: 14, channelPosts: 14, directMessages: 0 },
      { platform: 'teams', deliveries: 2, channelPosts: 0, directMessages: 0 },
    ]);
    // In directory order: jda, jpa (Teams, not configured), jna (no channel).
    expect(p.problems.map((x) => [x.memberId, x.reason, x.platform, x.then])).toEqual([
      ['jda', 'PLATFORM_NOT_CONFIGURED', 'teams', 'phone'],
      ['jpa', 'PLATFORM_NOT_CONFIGURED', 'teams', 'phone'],
      ['jna', 'NO_CHANNEL', undefined, 'nothing'],
    ]);
    expect(p.problems[2]).not.toHaveProperty('channelId');
  });

  it('says a refused delivery only alerts the secretariat when the advisory does not escalate', async () => {
    const fx = await fixture();
    const targets = { allMembers: false, observers: true, groups: [], members: [] };
    const quiet = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:AMBER+STRICT', severity: 'level1', escalate: false, targets }));
    expect(quiet.problems.map((x) => x.then)).toEqual(['alert']);
    // Severity level0's policy is off by default in the example ladders.
    const level0 = await fx.core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:AMBER+STRICT', severity: 'level0', targets }));
    expect(level0.escalate).toBe(false);
    expect(level0.problems.map((x) => x.then)).toEqual(['alert']);
  });

  it('refuses anyone but the secretariat and audits the attempt as issuing does', async () => {
    const fx = await fixture();
    for (const actor of [OUTSIDER, { ...SECRETARIAT, platform: 'teams' } as Actor]) {
      const err = await rejected(fx.core.previewAdvisory(actor, all()));
      expect(err.code).toBe('AUTH.NOT_SECRETARIAT');
    }
    expect(fx.audit.map((a) => [a.action, a.actor?.userId, a.detail])).toEqual([
      ['advisory.refused', OUTSIDER.userId, { attempted: 'advisory.preview' }],
      ['advisory.refused', SECRETARIAT.userId, { attempted: 'advisory.preview' }],
    ]);
    await expectNoSideEffects(fx);
  });

  it('refuses an outsider before looking at the input', async () => {
    const fx = await fixture();
    const err = await rejected(fx.core.previewAdvisory(OUTSIDER, { title: '' }));
    expect(err.code).toBe('AUTH.NOT_SECRETARIAT');
  });

  it.each([
    ['an empty title and no TLP', { title: '  ', tlp: undefined }],
    ['no target at all', { targets: { allMembers: false, observers: false, groups: [], members: [] } }],
    ['escalation off at level 3', { escalate: false }],
    ['a deadline out of range', { ackDeadlineMinutes: 0 }],
    ['an unknown organisation and group', { targets: { members: ['nobody'], groups: ['nogroup'] } }],
  ])('validates exactly as issuing does: %s', async (_name, over) => {
    const fx = await fixture();
    const candidate = { ...ISSUE_INPUT, ...over };
    const previewed = await rejected(fx.core.previewAdvisory(SECRETARIAT, candidate));
    const issued = await rejected(fx.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'x', input: candidate as AdvisoryInput }));
    expect(previewed.code).toBe(issued.code);
    expect(previewed.detail).toEqual(issued.detail);
    expect(previewed.code).toMatch(/^(ADVISORY.INVALID|DIRECTORY.UNKNOWN_TARGET)$/);
  });

  it('says when no chosen target has a channel, with the same field error as issuing', async () => {
    const file = structuredClone(await exampleDirectoryFile());
    file.organisations.find((o) => o.id === 'jma')!.channels = [];
    const fx = await fixture(DirectoryFile.parse(file));
    const err = await rejected(fx.core.previewAdvisory(SECRETARIAT, input({ targets: { members: ['jma'] } })));
    expect(err.code).toBe('ADVISORY.INVALID');
    expect(err.detail['fields']).toEqual([{ field: 'targets', message: FIELD_ERROR.noChannel }]);
  });

  it('keeps its digest while nothing that would be sent changes, and moves it when anything does', async () => {
    const fx = await fixture();
    const a = await fx.core.previewAdvisory(SECRETARIAT, input());
    fx.clock.advance(60_000);
    // Later, and with the input as a form sends it (untrimmed, defaults left out): the same advisory, the same recipients.
    const again = await fx.core.previewAdvisory(SECRETARIAT, { ...input(), title: `  ${ISSUE_INPUT.title} ` });
    expect(again.digest).toBe(a.digest);
    expect(a.digest).toMatch(/^[0-9a-f]{32}$/);
    for (const over of [{ body: 'changed' }, { tlp: 'TLP:GREEN' as const }, { drill: true }, { ackDeadlineMinutes: 30 }, { targets: { members: ['jma'] } }]) {
      expect((await fx.core.previewAdvisory(SECRETARIAT, input(over))).digest).not.toBe(a.digest);
    }
  });

  it('moves the digest when a platform is set up or taken away, though the directory is the same', async () => {
    const file = await mixedDirectory();
    const without = await (await fixture(file, { teams: false })).core.previewAdvisory(SECRETARIAT, all());
    await f!.close();
    const withTeams = await (await fixture(file)).core.previewAdvisory(SECRETARIAT, all());
    expect(withTeams.digest).not.toBe(without.digest);
    await f!.close();
    // The same one refusal, for another reason: JPA on Teams under TLP:RED, with and without Teams set up.
    const red = input({ tlp: 'TLP:RED', targets: { members: ['jpa'] } });
    const unconfigured = await (await fixture(file, { teams: false })).core.previewAdvisory(SECRETARIAT, red);
    await f!.close();
    const noIdentity = await (await fixture(file)).core.previewAdvisory(SECRETARIAT, red);
    expect([unconfigured.problems[0]?.reason, noIdentity.problems[0]?.reason]).toEqual(['PLATFORM_NOT_CONFIGURED', 'RED_NO_RECIPIENTS']);
    expect(noIdentity.digest).not.toBe(unconfigured.digest);
  });

  it('moves the digest when the directory changes who would get it', async () => {
    const base = await exampleDirectoryFile();
    const before = await (await fixture(base)).core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:RED' }));
    await f!.close();
    const changes: ((d: DirectoryFile) => void)[] = [
      (d) => (d.organisations.find((o) => o.id === 'jma')!.channels[0]!.id = 'C0JMANEW01'),
      (d) => (d.organisations.find((o) => o.id === 'jma')!.contacts[1]!.chat = { slack: 'U0JMA00002' }),
      (d) => (d.organisations.find((o) => o.id === 'jda')!.channels[0]!.sharedOutside = true),
    ];
    for (const change of changes) {
      const file = structuredClone(base);
      change(file);
      const after = await (await fixture(DirectoryFile.parse(file))).core.previewAdvisory(SECRETARIAT, input({ tlp: 'TLP:RED' }));
      expect(after.digest).not.toBe(before.digest);
      await f!.close();
      f = undefined;
    }
  });
});
