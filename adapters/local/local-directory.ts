/**
 * The member directory played in the browser: the same sector, organisations, groups and contacts,
 * with every chat channel and chat identity replaced by local ones. Pure: the file goes in, a new
 * file (for the core's Directory) and the local users and channels (for the page) come out.
 */
import type { Contact, DirectoryFile, LocalisedName, Organisation, PlatformUser } from '../../src/directory/schema.js';
import { LOCAL_PLATFORM_WORKSPACE, type LocalChannel, type LocalUser } from './local-api.js';

export const SECRETARIAT_CHANNEL_ID = 'secretariat';
export const ONCALL_CHANNEL_ID = 'oncall';

export const memberChannelId = (orgId: string): string => `member-${orgId}`;
export const directChannelId = (userId: string): string => `dm-${userId}`;

export const SECRETARIAT_CHANNEL_NAME: LocalisedName = { ja: '事務局', en: 'Secretariat' };
export const ONCALL_CHANNEL_NAME: LocalisedName = { ja: '電話当番', en: 'On-call' };

export interface LocalWorkspaceDirectory {
  /** The directory as the core must see it: local channels, local user ids. */
  file: DirectoryFile;
  users: LocalUser[];
  channels: LocalChannel[];
}

const localChannel = (id: string) => ({ platform: 'local' as const, workspace: LOCAL_PLATFORM_WORKSPACE, id });

/**
 * Every organisation's channels become ONE local channel `member-<orgId>` (shared outside if any of
 * them was, so a TLP:AMBER+STRICT refusal still shows); an organisation with no channel keeps none
 * (it is reached by phone only, as in the real sector). The secretariat and on-call channels become
 * `secretariat` and `oncall`; their users `sec-<n>` and `oncall-<n>`; every contact a member-staff
 * user `<orgId>-<n>` in call order, recorded as the contact's `chat.local` identity.
 */
export function localWorkspace(file: DirectoryFile): LocalWorkspaceDirectory {
  const users: LocalUser[] = [];
  const channels: LocalChannel[] = [];

  const secretariat = file.secretariat.users.map((u, i) => staff(u, `sec-${i + 1}`, { ja: `事務局 ${i + 1}`, en: `Secretariat ${i + 1}` }));
  const oncall = file.oncall.users.map((u, i) => staff(u, `oncall-${i + 1}`, { ja: `電話当番 ${i + 1}`, en: `On-call ${i + 1}` }));
  users.push(...secretariat.map((u) => ({ id: u.userId, name: u.name, role: 'secretariat' as const })));
  users.push(...oncall.map((u) => ({ id: u.userId, name: u.name, role: 'oncall' as const })));

  channels.push({
    id: SECRETARIAT_CHANNEL_ID,
    kind: 'secretariat',
    name: SECRETARIAT_CHANNEL_NAME,
    members: secretariat.map((u) => u.userId),
  });
  // The core lets the secretariat work phone tasks too, so they sit in the on-call channel.
  channels.push({
    id: ONCALL_CHANNEL_ID,
    kind: 'oncall',
    name: ONCALL_CHANNEL_NAME,
    members: [...oncall, ...secretariat].map((u) => u.userId),
  });

  const organisations: Organisation[] = file.organisations.map((org) => {
    const localIds = new Map<Contact, string>();
    [...org.contacts]
      .sort((a, b) => a.order - b.order)
      .forEach((c, i) => localIds.set(c, `${org.id}-${i + 1}`));
    const contacts = org.contacts.map((c) => ({ ...c, chat: { ...c.chat, local: localIds.get(c) as string } }));
    const orgUsers: LocalUser[] = [...contacts]
      .sort((a, b) => a.order - b.order)
      .map((c) => ({ id: c.chat.local, name: c.name, role: 'member' as const, orgId: org.id, orgName: org.name }));
    users.push(...orgUsers);

    if (org.channels.length === 0) return { ...org, contacts, channels: [] };
    const sharedOutside = org.channels.some((c) => c.sharedOutside);
    const id = memberChannelId(org.id);
    channels.push({
      id,
      kind: 'member',
      name: org.name,
      orgId: org.id,
      members: orgUsers.map((u) => u.id),
      ...(sharedOutside ? { sharedOutside: true } : {}),
    });
    return { ...org, contacts, channels: [{ ...localChannel(id), sharedOutside }] };
  });

  const toPlatformUser = (u: { userId: string; name: string }): PlatformUser => ({ platform: 'local', userId: u.userId, name: u.name });
  const out: DirectoryFile = {
    sector: { ...file.sector },
    secretariat: {
      name: file.secretariat.name,
      users: secretariat.map(toPlatformUser),
      channels: [localChannel(SECRETARIAT_CHANNEL_ID)],
    },
    oncall: {
      users: oncall.map(toPlatformUser),
      channels: [localChannel(ONCALL_CHANNEL_ID)],
    },
    groups: file.groups.map((g) => ({ ...g, members: [...g.members] })),
    organisations,
  };
  return { file: out, users, channels };
}

function staff(u: PlatformUser, userId: string, fallback: LocalisedName): { userId: string; name: string } {
  return { userId, name: u.name ?? fallback.ja };
}
