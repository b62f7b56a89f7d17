/**
 * The sector every scenario uses: test/support's generated local-government directory with half of
 * its members on Teams (spread evenly, so both platforms work at once), and where each member reads.
 */
import { largeDirectory, writeLargeDirectory } from '../test/support/large-directory.js';

export interface Member {
  id: string;
  platform: 'slack' | 'teams';
  /** Slack channel id, or the Teams channel's conversation id. */
  channel: string;
  /** Teams: the team the channel is in. */
  team?: string;
}

/** The generated directory's secretariat and on-call channels (Slack) and the secretariat's user. */
export const SECRETARIAT_CHANNEL = 'C0SEC00001';
export const ONCALL_CHANNEL = 'C0ONC00001';
export const SECRETARIAT_USER = 'U0SEC00001';

export interface SectorShape {
  members: number;
  /** Phone contacts per member: 2 gives a ladder a next-contact step. */
  contacts: number;
  /** Where the on-call channel is; default Slack. */
  oncall?: 'slack' | 'teams' | undefined;
}

const teamsOf = (s: SectorShape) => Math.floor(s.members / 2);

export function writeSector(path: string, s: SectorShape): Promise<string> {
  return writeLargeDirectory(path, s.members, { teams: teamsOf(s), contacts: s.contacts, ...(s.oncall ? { oncall: s.oncall } : {}) });
}

/** The platforms the members are on: the bot's pace is one bucket on each. */
export function platformsOf(members: readonly Member[]): number {
  return new Set(members.map((m) => m.platform)).size;
}

export function sectorMembers(s: SectorShape): Member[] {
  const d = largeDirectory(s.members, { teams: teamsOf(s), contacts: 1 }) as { organisations: { id: string; channels: { platform: 'slack' | 'teams'; id: string; team?: string }[] }[] };
  return d.organisations.map((o) => {
    const c = o.channels[0] as { platform: 'slack' | 'teams'; id: string; team?: string };
    return { id: o.id, platform: c.platform, channel: c.id, ...(c.team === undefined ? {} : { team: c.team }) };
  });
}
