import { z } from 'zod';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { Platform } from '../domain/platform.js';

// Strict objects throughout: a misspelt key ("sharedOutsde: true") must fail loudly, not
// silently fall back to a default that could let TLP:AMBER+STRICT into a shared channel.
const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-" only');

export const LocalisedName = z.strictObject({
  ja: z.string().min(1),
  en: z.string().min(1),
});
export type LocalisedName = z.infer<typeof LocalisedName>;

export const ChannelEntry = z.strictObject({
  platform: Platform,
  /** Slack team id (T…) or Teams tenant id. */
  workspace: z.string().min(1),
  /** Slack channel id (C…/G…) or Teams channel / conversation id. */
  id: z.string().min(1),
  /** Teams only: the team the channel belongs to. */
  team: z.string().min(1).optional(),
  /** Shared beyond the member's organisation (Slack Connect, a Teams shared channel with another tenant). */
  sharedOutside: z.boolean().default(false),
});
export type ChannelEntry = z.infer<typeof ChannelEntry>;

export const Contact = z.strictObject({
  name: z.string().min(1),
  role: z.string().min(1).optional(),
  phone: z
    .string()
    .refine((p) => isValidPhoneNumber(p, 'JP'), 'not a valid phone number (e.g. +81-3-0000-0000 or 03-0000-0000)'),
  email: z.email().optional(),
  /** Call order: 1 first. */
  order: z.number().int().min(1),
  /**
   * The contact's identity on each chat platform, for mentions and TLP:RED direct messages:
   * `chat: { slack: U0123ABCD, teams: <Entra object id> }`. A platform is one key: adding a platform
   * adds a key, not a field. (The local workspace fills in `local` itself.)
   */
  chat: z.partialRecord(Platform, z.string().trim().min(1)).optional(),
  /** Replaced by `chat`; kept only to say so clearly (see DEPRECATED_IDENTITY_KEYS). */
  slackUserId: z.unknown().optional(),
  teamsUserId: z.unknown().optional(),
  localUserId: z.unknown().optional(),
});
export type Contact = Omit<z.infer<typeof Contact>, 'slackUserId' | 'teamsUserId' | 'localUserId'>;

/** Keys of earlier releases, and the platform each one's identity now goes under in `chat`. */
export const DEPRECATED_IDENTITY_KEYS = { slackUserId: 'slack', teamsUserId: 'teams', localUserId: 'local' } as const;

/** The contact's identity on a chat platform, for mentions and TLP:RED direct messages. */
export function contactUserId(contact: Pick<Contact, 'chat'>, platform: Platform): string | undefined {
  return contact.chat?.[platform];
}

export const Organisation = z.strictObject({
  id: Id,
  name: LocalisedName,
  /** How the Japanese name reads (かな), for Japanese name order (日本医師会 → にほんいしかい). Optional: the name itself sorts without it. */
  kana: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(['member', 'observer']).default('member'),
  channels: z.array(ChannelEntry).default([]),
  contacts: z.array(Contact).default([]),
});
export type Organisation = z.infer<typeof Organisation>;

export const Group = z.strictObject({
  id: Id,
  name: LocalisedName,
  members: z.array(Id).min(1),
});
export type Group = z.infer<typeof Group>;

export const PlatformUser = z.strictObject({
  platform: Platform,
  userId: z.string().min(1),
  name: z.string().min(1).optional(),
});
export type PlatformUser = z.infer<typeof PlatformUser>;

export const SpecialChannel = z.strictObject({
  platform: Platform,
  workspace: z.string().min(1),
  id: z.string().min(1),
  team: z.string().min(1).optional(),
});
export type SpecialChannel = z.infer<typeof SpecialChannel>;

export const DirectoryFile = z
  .strictObject({
    sector: z.strictObject({ id: Id, name: LocalisedName }),
    secretariat: z.strictObject({
      name: LocalisedName,
      /** The only people who may issue, correct, withdraw or close advisories. */
      users: z.array(PlatformUser).min(1),
      channels: z.array(SpecialChannel).min(1),
    }),
    oncall: z.strictObject({
      users: z.array(PlatformUser).default([]),
      channels: z.array(SpecialChannel).min(1),
    }),
    groups: z.array(Group).default([]),
    organisations: z.array(Organisation).min(1),
  })
  // Runs even when the shape has errors, so an operator sees the cross-reference
  // problems (duplicates, unknown group members) in the same report as the rest.
  .superRefine((d, ctx) => crossCheck(d as unknown, ctx), { when: () => true });
export type DirectoryFile = z.infer<typeof DirectoryFile>;

type IssueSink = { addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void };

/** Elements of a field that may be missing or mistyped, because the shape may have failed. */
function items(value: unknown, key: string): Record<string, unknown>[] {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return Array.isArray(v) ? v.map((e) => (e !== null && typeof e === 'object' ? (e as Record<string, unknown>) : {})) : [];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A channel of a team (as opposed to a group chat or a 1:1 chat), by the form of its conversation id. */
function isTeamsTeamChannel(id: string | undefined): boolean {
  return id !== undefined && /@thread\.(tacv2|skype)$/.test(id);
}

function crossCheck(d: unknown, ctx: IssueSink): void {
  const orgs = items(d, 'organisations');
  const orgIds = new Set<string>();
  orgs.forEach((o, i) => {
    const id = str(o.id);
    if (id === undefined) return;
    if (orgIds.has(id)) ctx.addIssue({ code: 'custom', path: ['organisations', i, 'id'], message: `duplicate organisation id "${id}"` });
    orgIds.add(id);
  });

  const groupIds = new Set<string>();
  items(d, 'groups').forEach((g, i) => {
    const id = str(g.id);
    if (id !== undefined) {
      if (groupIds.has(id)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `duplicate group id "${id}"` });
      groupIds.add(id);
    }
    const members = Array.isArray(g.members) ? (g.members as unknown[]) : [];
    members.forEach((m, j) => {
      if (typeof m === 'string' && !orgIds.has(m)) {
        ctx.addIssue({ code: 'custom', path: ['groups', i, 'members', j], message: `unknown organisation "${m}"` });
      }
    });
  });

  // Keyed without the workspace: a Slack Connect channel keeps one id in every workspace it
  // is shared with, and Directory.organisationOfChannel must map an id to exactly one owner.
  const special = new Set<string>();
  for (const section of ['secretariat', 'oncall'] as const) {
    const s = d !== null && typeof d === 'object' ? (d as Record<string, unknown>)[section] : undefined;
    for (const c of items(s, 'channels')) special.add(`${str(c.platform)}/${str(c.id)}`);
  }
  const channels = new Map<string, string>();
  orgs.forEach((o, i) => {
    items(o, 'channels').forEach((c, j) => {
      const key = `${str(c.platform)}/${str(c.id)}`;
      const path = ['organisations', i, 'channels', j, 'id'];
      const owner = channels.get(key);
      if (owner !== undefined) {
        ctx.addIssue({ code: 'custom', path, message: `channel already belongs to "${owner}": one channel, one organisation` });
      }
      if (special.has(key)) {
        ctx.addIssue({ code: 'custom', path, message: 'this is the secretariat or on-call channel, not a member channel' });
      }
      if (owner === undefined) channels.set(key, str(o.id) ?? `organisations[${i}]`);
      // A team's channel (19:…@thread.tacv2) needs its team; a group or 1:1 chat has none.
      if (c.platform === 'teams' && !c.team && isTeamsTeamChannel(str(c.id))) {
        ctx.addIssue({ code: 'custom', path: ['organisations', i, 'channels', j, 'team'], message: 'a Teams channel needs its team id (chats do not)' });
      }
    });
    const orders = new Set<number>();
    items(o, 'contacts').forEach((c, j) => {
      for (const [old, platform] of Object.entries(DEPRECATED_IDENTITY_KEYS)) {
        if (c[old] === undefined) continue;
        ctx.addIssue({
          code: 'custom',
          path: ['organisations', i, 'contacts', j, old],
          message: `${old} は chat: { ${platform}: … } に置き換わりました / ${old} is replaced by chat: { ${platform}: ${JSON.stringify(c[old])} }`,
        });
      }
      if (typeof c.order !== 'number') return;
      if (orders.has(c.order)) {
        ctx.addIssue({ code: 'custom', path: ['organisations', i, 'contacts', j, 'order'], message: `order ${c.order} used twice` });
      }
      orders.add(c.order);
    });
  });
}
