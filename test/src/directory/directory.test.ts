import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { Targets } from '../../../src/domain/advisory.js';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectory } from '../../../src/directory/load.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { isBotError, type BotError } from '../../../src/errors.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/members.example.yaml', import.meta.url));

const targets = (t: Partial<Targets>): Targets => Targets.parse(t);

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

/** A small directory with the awkward cases the example file does not have. */
function smallDirectory(): Directory {
  const slack = (id: string) => ({ platform: 'slack', workspace: 'T0TEST0001', id });
  return new Directory(
    DirectoryFile.parse({
      sector: { id: 'test', name: { ja: 'テスト', en: 'Test' } },
      secretariat: { name: { ja: '事務局', en: 'Secretariat' }, users: [{ platform: 'slack', userId: 'U0SEC1' }], channels: [slack('C0SEC')] },
      oncall: { users: [{ platform: 'teams', userId: '29:oncall' }], channels: [slack('C0ONC')] },
      groups: [
        { id: 'g1', name: { ja: 'G1', en: 'G1' }, members: ['c', 'a'] },
        { id: 'g2', name: { ja: 'G2', en: 'G2' }, members: ['a', 'b'] },
      ],
      organisations: [
        { id: 'a', name: { ja: 'A', en: 'A' }, channels: [slack('C0A1'), { platform: 'teams', workspace: 'tenant', id: '19:a@thread.tacv2', team: 'team-a' }] },
        { id: 'b', name: { ja: 'B', en: 'B' } },
        { id: 'c', name: { ja: 'C', en: 'C' }, channels: [slack('C0C1')] },
        { id: 'o', name: { ja: 'O', en: 'O' }, kind: 'observer', channels: [slack('C0O1')] },
      ],
    }),
  );
}

describe('Directory on the example file', () => {
  let dir: Directory;
  beforeAll(async () => {
    dir = await loadDirectory(EXAMPLE);
  });

  it('allMembers reaches every member channel once, in directory order, and no observer', () => {
    const { recipients, withoutChannel } = dir.resolveTargets(targets({ allMembers: true }));
    expect(recipients.map((r) => r.organisation.id)).toEqual(
      dir.organisations().filter((o) => o.kind === 'member').map((o) => o.id),
    );
    expect(recipients).toHaveLength(17);
    expect(recipients.map((r) => r.organisation.id)).not.toContain('jahis');
    expect(withoutChannel).toEqual([]);
  });

  it('observers reaches JAHIS, whose Slack Connect channel is marked shared outside', () => {
    const { recipients } = dir.resolveTargets(targets({ observers: true }));
    expect(recipients.map((r) => r.organisation.id)).toEqual(['jahis']);
    expect(recipients[0]?.channel.sharedOutside).toBe(true);
  });

  it('a group reaches exactly its members', () => {
    const { recipients } = dir.resolveTargets(targets({ groups: ['shishikai'] }));
    expect(recipients.map((r) => r.organisation.id)).toEqual(['jma', 'jda', 'jpa', 'jna']);
  });

  it('the union of groups and members counts each organisation once, in directory order', () => {
    const { recipients } = dir.resolveTargets(targets({ groups: ['shibyokyo', 'shishikai'], members: ['jha', 'jahis', 'jma'] }));
    expect(recipients.map((r) => r.organisation.id)).toEqual(['jma', 'jda', 'jpa', 'jna', 'ajha', 'jamc', 'jpha', 'jha', 'jahis']);
  });

  it('四師会 and 日病協 together are all 17 members', () => {
    const { recipients } = dir.resolveTargets(targets({ groups: ['shishikai', 'nichibyokyo'] }));
    const ids = recipients.map((r) => r.organisation.id);
    expect(ids).toEqual(dir.resolveTargets(targets({ allMembers: true })).recipients.map((r) => r.organisation.id));
  });

  it('reports every unknown group and member in one error', () => {
    const err = caught(() => dir.resolveTargets(targets({ groups: ['shishikai', 'nope-group', 'other'], members: ['jma', 'nobody'] })));
    expect(isBotError(err, 'DIRECTORY.UNKNOWN_TARGET')).toBe(true);
    expect((err as BotError).detail).toEqual({ unknownGroups: ['nope-group', 'other'], unknownMembers: ['nobody'] });
    expect((err as BotError).message).toContain('nope-group');
    expect((err as BotError).message).toContain('nobody');
  });

  it('knows the secretariat and on-call staff by platform and user id', () => {
    expect(dir.isSecretariat({ platform: 'slack', userId: 'U0SEC00001' })).toBe(true);
    expect(dir.isSecretariat({ platform: 'slack', userId: 'U0SEC00002' })).toBe(true);
    expect(dir.isSecretariat({ platform: 'slack', userId: 'U0ONC00001' })).toBe(false);
    expect(dir.isSecretariat({ platform: 'slack', userId: 'U0JMA00001' })).toBe(false);
    // The same id on another platform is another person.
    expect(dir.isSecretariat({ platform: 'teams', userId: 'U0SEC00001' })).toBe(false);
    expect(dir.isOncall({ platform: 'slack', userId: 'U0ONC00002' })).toBe(true);
    expect(dir.isOncall({ platform: 'slack', userId: 'U0SEC00001' })).toBe(false);
  });

  it('lists the secretariat and on-call channels', () => {
    expect(dir.secretariatChannels()).toEqual([{ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0SEC00001' }]);
    expect(dir.oncallChannels()).toEqual([{ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0ONC00001' }]);
  });

  it('finds the organisation that owns a channel', () => {
    expect(dir.organisationOfChannel('slack', 'C0JDA00001')?.id).toBe('jda');
    expect(dir.organisationOfChannel('teams', 'C0JDA00001')).toBeUndefined();
    expect(dir.organisationOfChannel('slack', 'C0SEC00001')).toBeUndefined();
  });

  it('looks organisations up by id', () => {
    expect(dir.organisation('jma')?.name.ja).toBe('公益社団法人 日本医師会');
    expect(dir.organisation('nope')).toBeUndefined();
  });
});

describe('Directory edge cases', () => {
  it('reports targeted organisations that have no channel, and every channel of the others', () => {
    const { recipients, withoutChannel } = smallDirectory().resolveTargets(targets({ allMembers: true }));
    expect(recipients.map((r) => `${r.organisation.id}:${r.channel.platform}:${r.channel.id}`)).toEqual([
      'a:slack:C0A1',
      'a:teams:19:a@thread.tacv2',
      'c:slack:C0C1',
    ]);
    expect(withoutChannel.map((o) => o.id)).toEqual(['b']);
  });

  it('keeps directory order, not the order in which groups name members', () => {
    const { recipients, withoutChannel } = smallDirectory().resolveTargets(targets({ groups: ['g1', 'g2'], members: ['c'] }));
    expect([...new Set(recipients.map((r) => r.organisation.id))]).toEqual(['a', 'c']);
    expect(recipients).toHaveLength(3);
    expect(withoutChannel.map((o) => o.id)).toEqual(['b']);
  });

  it('allMembers plus observers reaches everyone', () => {
    const { recipients } = smallDirectory().resolveTargets(targets({ allMembers: true, observers: true }));
    expect([...new Set(recipients.map((r) => r.organisation.id))]).toEqual(['a', 'c', 'o']);
  });

  it('maps a Teams channel to its organisation', () => {
    expect(smallDirectory().organisationOfChannel('teams', '19:a@thread.tacv2')?.id).toBe('a');
  });

  it('on-call membership is per platform', () => {
    const dir = smallDirectory();
    expect(dir.isOncall({ platform: 'teams', userId: '29:oncall' })).toBe(true);
    expect(dir.isOncall({ platform: 'slack', userId: '29:oncall' })).toBe(false);
  });
});

describe('contactsInOrder', () => {
  const file = (contacts: unknown[]) =>
    DirectoryFile.parse({
      sector: { id: 's', name: { ja: 'S', en: 'S' } },
      secretariat: { name: { ja: 'S', en: 'S' }, users: [{ platform: 'slack', userId: 'U1' }], channels: [{ platform: 'slack', workspace: 'T1', id: 'C1' }] },
      oncall: { channels: [{ platform: 'slack', workspace: 'T1', id: 'C2' }] },
      organisations: [{ id: 'x', name: { ja: 'X', en: 'X' }, contacts }],
    });

  it('sorts by call order whatever the order in the file', () => {
    const dir = new Directory(
      file([
        { name: '三番', phone: '03-5555-0003', order: 3 },
        { name: '一番', phone: '03-5555-0001', order: 1 },
        { name: '二番', phone: '+81-6-6555-0002', order: 2 },
      ]),
    );
    expect(dir.contactsInOrder('x').map((c) => c.name)).toEqual(['一番', '二番', '三番']);
  });

  it('gives a copy that callers cannot use to change the directory', () => {
    const dir = new Directory(file([{ name: '一番', phone: '03-5555-0001', order: 1 }, { name: '二番', phone: '03-5555-0002', order: 2 }]));
    dir.contactsInOrder('x').reverse();
    expect(dir.contactsInOrder('x').map((c) => c.name)).toEqual(['一番', '二番']);
    expect(() => {
      (dir.organisation('x')!.contacts as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('is empty for an organisation that is not in the directory', () => {
    expect(new Directory(file([])).contactsInOrder('gone')).toEqual([]);
  });

  it('follows the example file: the first contact has the Slack id', async () => {
    const dir = await loadDirectory(EXAMPLE);
    const contacts = dir.contactsInOrder('jma');
    expect(contacts.map((c) => c.order)).toEqual([1, 2]);
    expect(contacts[0]?.chat).toEqual({ slack: 'U0JMA00001' });
  });
});
