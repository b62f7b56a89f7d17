/**
 * The simulated sector's member directory, written as an operator would write config/members.yaml (and validated
 * by the bot's own schema when it starts): `members` organisations, each with a private channel on the emulated
 * Slack and `contacts` phone contacts; a secretariat; an on-call channel and the on-call staff.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Actor } from '../src/domain/platform.js';
import { memberId } from './model.js';

export const WORKSPACE = 'T0SIM00001';
export const SECRETARIAT_CHANNEL = 'C0SIMSEC01';
export const ONCALL_CHANNEL = 'C0SIMONC01';
export const SECRETARIAT: Actor = { platform: 'slack', userId: 'U0SIMSEC01', name: '事務局 担当A' };

const pad4 = (n: number) => String(n).padStart(4, '0');

export function memberName(index: number): { ja: string; en: string } {
  return { ja: `構成員${pad4(index + 1)}`, en: `Member ${pad4(index + 1)}` };
}

export function memberChannel(index: number): string {
  return `C0SIM${pad4(index + 1)}`;
}

/** The chat identity of a member's contact (0-based): the one who presses in the channel is contact 0. */
export function contactUserId(index: number, contact: number): string {
  return `U0SIM${pad4(index + 1)}C${contact + 1}`;
}

export function staffActor(n: number): Actor {
  const two = String(n + 1).padStart(2, '0');
  return { platform: 'slack', userId: `U0SIMCALL${two}`, name: `電話当番 ${two}` };
}

export function sectorDirectory(members: number, contacts: number, staff: number): unknown {
  if (members > 9999) throw new Error('the simulated sector has at most 9,999 members');
  if (contacts < 1 || contacts > 9) throw new Error('each member has 1 to 9 contacts');
  return {
    sector: { id: 'simulated-sector', name: { ja: '模擬セプター', en: 'Simulated CEPTOAR' } },
    secretariat: {
      name: { ja: '事務局', en: 'Secretariat' },
      users: [{ platform: 'slack', userId: SECRETARIAT.userId, name: SECRETARIAT.name }],
      channels: [{ platform: 'slack', workspace: WORKSPACE, id: SECRETARIAT_CHANNEL }],
    },
    oncall: {
      users: Array.from({ length: staff }, (_, n) => {
        const a = staffActor(n);
        return { platform: 'slack', userId: a.userId, name: a.name };
      }),
      channels: [{ platform: 'slack', workspace: WORKSPACE, id: ONCALL_CHANNEL }],
    },
    groups: [],
    organisations: Array.from({ length: members }, (_, i) => ({
      id: memberId(i),
      name: memberName(i),
      kind: 'member',
      channels: [{ platform: 'slack', workspace: WORKSPACE, id: memberChannel(i), sharedOutside: false }],
      contacts: Array.from({ length: contacts }, (_, c) => ({
        name: `担当者${pad4(i + 1)}-${c + 1}`,
        // Tokyo numbers (03-5xxx-xxxx), one block per contact position.
        phone: `+81-3-${5100 + c}-${pad4(i + 1)}`,
        order: c + 1,
        chat: { slack: contactUserId(i, c) },
      })),
    })),
  };
}

export async function writeSector(path: string, members: number, contacts: number, staff: number): Promise<string> {
  await writeFile(path, stringify(sectorDirectory(members, contacts, staff)));
  return path;
}
