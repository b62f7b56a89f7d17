import { describe, expect, it } from 'vitest';
import { Directory } from '../../../src/directory/directory.js';
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { localWorkspace } from '../../../adapters/local/local-directory.js';

const example = await loadDirectoryFile('config/members.example.yaml');

describe('localWorkspace', () => {
  const ws = localWorkspace(example);

  it('gives the file that validates against the directory schema', () => {
    const parsed = DirectoryFile.safeParse(ws.file);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(() => new Directory(ws.file)).not.toThrow();
  });

  it('plays every member organisation in one local channel', () => {
    const members = example.organisations.filter((o) => o.kind === 'member');
    expect(members).toHaveLength(17);
    const memberChannels = ws.channels.filter((c) => c.kind === 'member');
    expect(memberChannels).toHaveLength(18); // 17 members and the observer
    for (const org of ws.file.organisations) {
      expect(org.channels).toEqual([{ platform: 'local', workspace: 'local', id: `member-${org.id}`, sharedOutside: org.id === 'jahis' }]);
    }
    const directory = new Directory(ws.file);
    const { recipients } = directory.resolveTargets({ allMembers: true, observers: false, groups: [], members: [] });
    expect(recipients).toHaveLength(17);
    expect(recipients.every((r) => r.channel.platform === 'local')).toBe(true);
    expect(directory.organisationOfChannel('local', 'member-jma')?.id).toBe('jma');
  });

  it('keeps sharedOutside so TLP:AMBER+STRICT is still refused for JAHIS', () => {
    const jahis = ws.channels.find((c) => c.id === 'member-jahis');
    expect(jahis?.sharedOutside).toBe(true);
    expect(ws.channels.find((c) => c.id === 'member-jma')?.sharedOutside).toBeUndefined();
  });

  it('gives every contact a member-staff user and records it as its local identity (chat.local)', () => {
    const jma = ws.file.organisations.find((o) => o.id === 'jma');
    expect(jma?.contacts.map((c) => [c.name, c.chat?.local])).toEqual([
      ['佐藤 健一', 'jma-1'],
      ['鈴木 美咲', 'jma-2'],
    ]);
    const staff = ws.users.filter((u) => u.role === 'member');
    expect(staff).toHaveLength(example.organisations.reduce((n, o) => n + o.contacts.length, 0));
    expect(ws.users.find((u) => u.id === 'jma-1')).toEqual({
      id: 'jma-1',
      name: '佐藤 健一',
      role: 'member',
      orgId: 'jma',
      orgName: { ja: '公益社団法人 日本医師会', en: 'Japan Medical Association' },
    });
    expect(ws.channels.find((c) => c.id === 'member-jma')?.members).toEqual(['jma-1', 'jma-2']);
    // The original identities are untouched: only the local one is added.
    expect(jma?.contacts[0]?.chat?.slack).toBe('U0JMA00001');
  });

  it('turns the secretariat and on-call into local users and channels', () => {
    expect(ws.file.secretariat.users).toEqual([
      { platform: 'local', userId: 'sec-1', name: '事務局 担当A' },
      { platform: 'local', userId: 'sec-2', name: '事務局 担当B' },
    ]);
    expect(ws.file.oncall.users.map((u) => u.userId)).toEqual(['oncall-1', 'oncall-2']);
    expect(ws.file.secretariat.channels).toEqual([{ platform: 'local', workspace: 'local', id: 'secretariat' }]);
    expect(ws.file.oncall.channels).toEqual([{ platform: 'local', workspace: 'local', id: 'oncall' }]);
    expect(ws.channels.find((c) => c.id === 'secretariat')?.members).toEqual(['sec-1', 'sec-2']);
    expect(ws.channels.find((c) => c.id === 'oncall')?.members).toEqual(['oncall-1', 'oncall-2', 'sec-1', 'sec-2']);
    const directory = new Directory(ws.file);
    expect(directory.isSecretariat({ platform: 'local', userId: 'sec-1' })).toBe(true);
    expect(directory.isOncall({ platform: 'local', userId: 'oncall-2' })).toBe(true);
    expect(directory.isSecretariat({ platform: 'slack', userId: 'U0SEC00001' })).toBe(false);
  });

  it('does not change its input', () => {
    const copy = structuredClone(example);
    localWorkspace(example);
    expect(example).toEqual(copy);
  });

  it('numbers contacts in call order and leaves a channel-less organisation without a channel', () => {
    const file = structuredClone(example);
    const org = file.organisations[0]!;
    org.contacts = [
      { ...org.contacts[0]!, name: 'second', order: 2 },
      { ...org.contacts[1]!, name: 'first', order: 1 },
    ];
    org.channels = [];
    const out = localWorkspace(file);
    expect(out.file.organisations[0]?.contacts.map((c) => [c.name, c.chat?.local])).toEqual([
      ['second', `${org.id}-2`],
      ['first', `${org.id}-1`],
    ]);
    expect(out.file.organisations[0]?.channels).toEqual([]);
    expect(out.channels.some((c) => c.orgId === org.id)).toBe(false);
    expect(DirectoryFile.safeParse(out.file).success).toBe(true);
  });
});
