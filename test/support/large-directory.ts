/** A sector the size of the local-government CEPTOAR (47 prefectures + 1,741 municipalities), for scale tests and the bench. */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { TENANT } from './mixed-directory.js';

export interface LargeDirectoryOptions {
  /** How many organisations are on Microsoft Teams (spread evenly among the Slack ones); default 0. */
  teams?: number;
  /** Phone contacts per organisation (a ladder has a next-contact step from 2); default 1. */
  contacts?: number;
  /** Where the on-call channel (the phone-task board) is; default Slack. */
  oncall?: 'slack' | 'teams';
}

/** The on-call channel of the generated sector, on either platform (on Teams, in the team the bench installs the bot in). */
export const LARGE_ONCALL = {
  slack: { platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0ONC00001' },
  teams: { platform: 'teams', workspace: TENANT, team: '19:team-lg-0002@thread.tacv2', id: '19:oncall-lg@thread.tacv2' },
} as const;

/** Where organisation `n` (its zero-padded number) reads the advisory. */
export function largeChannelOf(n: string, onTeams: boolean) {
  return onTeams
    ? { platform: 'teams', workspace: TENANT, team: `19:team-lg-${n}@thread.tacv2`, id: `19:lg-${n}@thread.tacv2`, sharedOutside: false }
    : { platform: 'slack', workspace: 'T0CEPTOAR0', id: `C0LG${n}`, sharedOutside: false };
}

/** Whether organisation `i` of `organisations` is one of the `teams` on Teams: evenly spread, so both platforms work at once. */
const onTeams = (i: number, organisations: number, teams: number) => Math.floor(((i + 1) * teams) / organisations) > Math.floor((i * teams) / organisations);

export function largeDirectory(organisations: number, options: LargeDirectoryOptions = {}): unknown {
  const teams = options.teams ?? 0;
  const orgs = Array.from({ length: organisations }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    const teamsOrg = onTeams(i, organisations, teams);
    // Teams members' contacts have no chat identity here: a reminder mentions nobody, and needs no member lookup.
    const extra = Array.from({ length: (options.contacts ?? 1) - 1 }, (_, k) => ({ name: `担当者${n}-${k + 2}`, phone: `+81-3-${5556 + k}-${n.slice(-4)}`, order: k + 2 }));
    return {
      id: `lg-${n}`,
      name: { ja: i === 0 ? '横浜市' : i === 1 ? '港区' : `自治体${n}`, en: i === 0 ? 'Yokohama City' : i === 1 ? 'Minato City' : `Municipality ${n}` },
      kind: 'member',
      channels: [largeChannelOf(n, teamsOrg)],
      contacts: [
        teamsOrg ? { name: `担当者${n}`, phone: `+81-3-5555-${n.slice(-4)}`, order: 1 } : { name: `担当者${n}`, phone: `+81-3-5555-${n}`, order: 1, chat: { slack: `U0LG${n}` } },
        ...extra,
      ],
    };
  });
  return {
    sector: { id: 'local-government', name: { ja: '自治体セプター', en: 'Local Government CEPTOAR' } },
    secretariat: {
      name: { ja: '事務局', en: 'Secretariat' },
      users: [{ platform: 'slack', userId: 'U0SEC00001', name: '事務局 担当A' }],
      channels: [{ platform: 'slack', workspace: 'T0CEPTOAR0', id: 'C0SEC00001' }],
    },
    oncall: { users: [], channels: [LARGE_ONCALL[options.oncall ?? 'slack']] },
    groups: [{ id: 'kanagawa', name: { ja: '神奈川県内', en: 'Kanagawa' }, members: ['lg-0001'] }],
    organisations: orgs,
  };
}

export async function writeLargeDirectory(path: string, organisations: number, options: LargeDirectoryOptions = {}): Promise<string> {
  await writeFile(path, stringify(largeDirectory(organisations, options)));
  return path;
}
