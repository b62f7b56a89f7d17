import { z } from 'zod';
import { isValidPhoneNumber } from 'libphonenumber-js';
import { Platform } from '../domain/platform.js';

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-" only');

export const LocalisedName = z.object({
  ja: z.string().min(1),
  en: z.string().min(1),
});
export type LocalisedName = z.infer<typeof LocalisedName>;

export const ChannelEntry = z.object({
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

export const Contact = z.object({
  name: z.string().min(1),
  role: z.string().min(1).optional(),
  phone: z
    .string()
    .refine((p) => isValidPhoneNumber(p, 'JP'), 'not a valid phone number (e.g. +81-3-0000-0000 or 03-0000-0000)'),
  email: z.email().optional(),
  /** Call order: 1 first. */
  order: z.number().int().min(1),
  /** Chat identities, for mentions and TLP:RED direct messages. */
  slackUserId: z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0123ABCD').optional(),
  teamsUserId: z.string().min(1).optional(),
});
export type Contact = z.infer<typeof Contact>;

export const Organisation = z.object({
  id: Id,
  name: LocalisedName,
  kind: z.enum(['member', 'observer']).default('member'),
  channels: z.array(ChannelEntry).default([]),
  contacts: z.array(Contact).default([]),
});
export type Organisation = z.infer<typeof Organisation>;

export const Group = z.object({
  id: Id,
  name: LocalisedName,
  members: z.array(Id).min(1),
});
export type Group = z.infer<typeof Group>;

export const PlatformUser = z.object({
  platform: Platform,
  userId: z.string().min(1),
  name: z.string().min(1).optional(),
});
export type PlatformUser = z.infer<typeof PlatformUser>;

export const SpecialChannel = z.object({
  platform: Platform,
  workspace: z.string().min(1),
  id: z.string().min(1),
  team: z.string().min(1).optional(),
});
export type SpecialChannel = z.infer<typeof SpecialChannel>;

export const DirectoryFile = z
  .object({
    sector: z.object({ id: Id, name: LocalisedName }),
    secretariat: z.object({
      name: LocalisedName,
      /** The only people who may issue, correct, withdraw or close advisories. */
      users: z.array(PlatformUser).min(1),
      channels: z.array(SpecialChannel).min(1),
    }),
    oncall: z.object({
      users: z.array(PlatformUser).default([]),
      channels: z.array(SpecialChannel).min(1),
    }),
    groups: z.array(Group).default([]),
    organisations: z.array(Organisation).min(1),
  })
  .superRefine((d, ctx) => {
    const orgIds = new Map<string, number>();
    d.organisations.forEach((o, i) => {
      if (orgIds.has(o.id)) {
        ctx.addIssue({ code: 'custom', path: ['organisations', i, 'id'], message: `duplicate organisation id "${o.id}"` });
      }
      orgIds.set(o.id, i);
    });
    const groupIds = new Set<string>();
    d.groups.forEach((g, i) => {
      if (groupIds.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `duplicate group id "${g.id}"` });
      groupIds.add(g.id);
      g.members.forEach((m, j) => {
        if (!orgIds.has(m)) {
          ctx.addIssue({ code: 'custom', path: ['groups', i, 'members', j], message: `unknown organisation "${m}"` });
        }
      });
    });
    const channels = new Map<string, string>();
    d.organisations.forEach((o, i) => {
      o.channels.forEach((c, j) => {
        const key = `${c.platform}/${c.workspace}/${c.id}`;
        const owner = channels.get(key);
        if (owner !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['organisations', i, 'channels', j, 'id'],
            message: `channel already belongs to "${owner}": one channel, one organisation`,
          });
        }
        channels.set(key, o.id);
        if (c.platform === 'teams' && !c.team) {
          ctx.addIssue({ code: 'custom', path: ['organisations', i, 'channels', j, 'team'], message: 'a Teams channel needs its team id' });
        }
      });
      const orders = new Set<number>();
      o.contacts.forEach((c, j) => {
        if (orders.has(c.order)) {
          ctx.addIssue({ code: 'custom', path: ['organisations', i, 'contacts', j, 'order'], message: `order ${c.order} used twice` });
        }
        orders.add(c.order);
      });
    });
  });
export type DirectoryFile = z.infer<typeof DirectoryFile>;
