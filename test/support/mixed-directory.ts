/**
 * The example directory with some members on Microsoft Teams: one advisory must reach Slack and
 * Teams members at once. JDA and JPA use Teams channels; the on-call channel is on Teams; the
 * secretariat has a Teams identity and a Teams channel beside its Slack ones.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';

export const TENANT = '7c1f0c2e-0000-4000-8000-00000000c0de';
export const TEAMS_SECRETARIAT = 'aad-00000000-0000-0000-0000-00000000sec1';
export const TEAMS_ONCALL = 'aad-00000000-0000-0000-0000-00000000onc1';
export const TEAMS_JDA_CONTACT = 'aad-00000000-0000-0000-0000-00000000jda1';
export const TEAMS = {
  jda: { team: '19:team-jda@thread.tacv2', channel: '19:jda-advisories@thread.tacv2' },
  jpa: { team: '19:team-jpa@thread.tacv2', channel: '19:jpa-advisories@thread.tacv2' },
  oncall: { team: '19:team-sec@thread.tacv2', channel: '19:oncall@thread.tacv2' },
  secretariat: { team: '19:team-sec@thread.tacv2', channel: '19:secretariat@thread.tacv2' },
};

interface Org {
  id: string;
  channels: unknown[];
  contacts: { chat?: { slack?: string; teams?: string } }[];
}

export async function writeMixedDirectory(path: string): Promise<string> {
  const d = parse(await readFile('config/members.example.yaml', 'utf8')) as {
    secretariat: { users: unknown[]; channels: unknown[] };
    oncall: { users: unknown[]; channels: unknown[] };
    organisations: Org[];
  };
  d.secretariat.users.push({ platform: 'teams', userId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' });
  d.secretariat.channels.push({ platform: 'teams', workspace: TENANT, team: TEAMS.secretariat.team, id: TEAMS.secretariat.channel });
  d.oncall.users.push({ platform: 'teams', userId: TEAMS_ONCALL, name: '電話当番 Teams' });
  d.oncall.channels = [{ platform: 'teams', workspace: TENANT, team: TEAMS.oncall.team, id: TEAMS.oncall.channel }];
  for (const org of d.organisations) {
    if (org.id === 'jda' || org.id === 'jpa') {
      const t = TEAMS[org.id];
      org.channels = [{ platform: 'teams', workspace: TENANT, team: t.team, id: t.channel, sharedOutside: false }];
      org.contacts = org.contacts.map((c, i) => {
        const { chat: _drop, ...rest } = c;
        return i === 0 && org.id === 'jda' ? { ...rest, chat: { teams: TEAMS_JDA_CONTACT } } : rest;
      });
    }
  }
  await writeFile(path, stringify(d));
  return path;
}
