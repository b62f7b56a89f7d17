/** The status at sector scale: filters, pages, Japanese name order by the directory's readings, the list of advisories. */
import { afterEach, describe, expect, it } from 'vitest';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { isBotError } from '../../../src/errors.js';
import { STATUS_PAGE } from '../../../src/commands/status.js';
import { largeDirectory } from '../../support/large-directory.js';
import { coreFixture, exampleDirectoryFile, refusal, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, issueAndPost, JMA_STAFF, minutes, OUTSIDER, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

describe('status filters and pages', () => {
  it('filters by state (silent, failed, on the phone, acknowledged), keeps the counts of everyone, and says how many match', async () => {
    f = await coreFixture();
    f.chat.failPosts = (target) => (target.channelId === 'C0JPA00001' ? refusal('channel_gone') : undefined);
    const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda', 'jpa', 'jha']);
    f.chat.failPosts = undefined;
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
    const jda = deliveries.find((d) => d.memberId === 'jda')!;
    await untilPhoneTask(f, jda.id);
    const ids = async (state: 'silent' | 'failed' | 'phone' | 'acknowledged') => (await f.core.statusOf(SECRETARIAT, advisory.id, { state })).rows.map((r) => r.memberId);
    expect(await ids('acknowledged')).toEqual(['jma']);
    expect(await ids('failed')).toEqual(['jpa']);
    expect(await ids('phone')).toEqual(['jda']);
    expect((await ids('silent')).sort()).toEqual(['jda', 'jha']);
    const silent = await f.core.statusOf(SECRETARIAT, advisory.id, { state: 'silent' });
    expect(silent.counts).toMatchObject({ total: 4, acknowledged: 1, failed: 1, posted: 2 });
    expect(silent.page).toEqual({ query: { state: 'silent', group: undefined, platform: undefined }, offset: 0, limit: STATUS_PAGE, matching: 2 });
    expect((await f.core.statusOf(SECRETARIAT, advisory.id, { platform: 'teams' })).rows).toEqual([]);
    expect((await f.core.statusOf(SECRETARIAT, advisory.id, { platform: 'slack' })).page?.matching).toBe(4);
  });

  it('filters by group, and offers the directory’s groups', async () => {
    const file = await exampleDirectoryFile();
    f = await coreFixture({ directory: file });
    const { advisory } = await issueAndPost(f, ['jma', 'jha']);
    // jma is one of the four associations (shishikai), jha a hospital organisation (shibyokyo).
    const view = await f.core.statusOf(SECRETARIAT, advisory.id, { group: 'shishikai' });
    expect(view.rows.map((r) => r.memberId)).toEqual(['jma']);
    expect((await f.core.statusOf(SECRETARIAT, advisory.id, { group: 'shibyokyo' })).rows.map((r) => r.memberId)).toEqual(['jha']);
    expect(view.groups?.map((g) => g.id)).toEqual(file.groups.map((g) => g.id));
    expect((await f.core.statusOf(SECRETARIAT, advisory.id, { group: 'no-such-group' })).rows).toEqual([]);
  });

  it('pages 1,800 members in Japanese order of their readings', async () => {
    const dir = largeDirectory(1_800) as { organisations: { id: string; kana?: string; name: { ja: string } }[] };
    // Readings that sort differently from the ids: the last organisation reads first.
    dir.organisations.forEach((o, i) => (o.kana = `じちたい${String(1_800 - i).padStart(4, '0')}`));
    f = await coreFixture({ directory: DirectoryFile.parse(dir) });
    const members = dir.organisations.map((o) => o.id);
    const { advisory } = await f.core.issueAdvisory({
      actor: SECRETARIAT,
      requestKey: 'r-1800',
      input: { title: 't', body: 'b', source: 'jpcert', tlp: 'TLP:GREEN', severity: 'level2', category: 'vulnerability', targets: { allMembers: false, observers: false, groups: [], members } },
    });
    const first = await f.core.statusOf(SECRETARIAT, advisory.id, { limit: 50 });
    expect(first.rows).toHaveLength(50);
    expect(first.rows[0]?.memberId).toBe('lg-1800');
    expect(first.rows[49]?.memberId).toBe('lg-1751');
    expect(first.page).toMatchObject({ offset: 0, limit: 50, matching: 1_800 });
    const last = await f.core.statusOf(SECRETARIAT, advisory.id, { offset: 1_750, limit: 100 });
    expect(last.rows.map((r) => r.memberId)).toEqual(Array.from({ length: 50 }, (_, i) => `lg-${String(50 - i).padStart(4, '0')}`));
    expect(last.counts.total).toBe(1_800);
  });

  it('refuses a query it cannot read, naming the field; and is the secretariat’s only', async () => {
    f = await coreFixture();
    const { advisory } = await issueAndPost(f, ['jma']);
    for (const [query, field] of [
      [{ state: 'everyone' }, 'state'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 501 }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ platform: 'fax' }, 'platform'],
      [{ sort: 'name' }, 'query'],
    ] as const) {
      const err = await f.core.statusOf(SECRETARIAT, advisory.id, query as never).catch((e: unknown) => e);
      expect(isBotError(err, 'ADVISORY.INVALID'), JSON.stringify(query)).toBe(true);
      expect((err as { detail: { fields: { field: string }[] } }).detail.fields.map((x) => x.field)).toEqual([field]);
    }
    const err = await f.core.statusOf(OUTSIDER, advisory.id, { state: 'silent' }).catch((e: unknown) => e);
    expect(isBotError(err, 'AUTH.NOT_SECRETARIAT')).toBe(true);
  });
});

describe('the list of advisories', () => {
  it('is newest first with each one’s counts, at most the number asked', async () => {
    f = await coreFixture();
    const a = (await issueAndPost(f, ['jma'])).advisory;
    f.clock.set(minutes(10));
    const b = (await issueAndPost(f, ['jma', 'jda'])).advisory;
    await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: f.chat.in('C0JMA00001', 'advisory').at(-1)!.ref });
    await f.core.withdrawAdvisory({ actor: SECRETARIAT, advisoryId: a.id, input: { reason: '誤り' } });
    const list = await f.core.listAdvisories(SECRETARIAT);
    expect(list.map((x) => [x.advisoryId, x.state, x.withdrawn, x.counts.total, x.counts.acknowledged])).toEqual([
      [b.id, 'open', false, 2, 1],
      [a.id, 'closed', true, 1, 0],
    ]);
    expect((await f.core.listAdvisories(SECRETARIAT, 1)).map((x) => x.advisoryId)).toEqual([b.id]);
    expect(isBotError(await f.core.listAdvisories(OUTSIDER).catch((e: unknown) => e), 'AUTH.NOT_SECRETARIAT')).toBe(true);
  });
});
