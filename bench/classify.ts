/**
 * Which finished platform call is what: the advisory reaching a member, a ladder step, an update of
 * a member's message. Slack posts carry the bot's metadata (kind, key; the baseline sends the same
 * shape); Teams keeps no metadata, so there the channel says whose it is and the card's words say
 * whether it is a reminder, as the end-to-end tests tell them.
 */
import { CT } from '../src/i18n/chat-text.js';
import type { StepKind } from '../src/domain/escalation.js';
import type { Member } from './members.js';
import type { Sent } from './platforms.js';

const REMINDER_MARK = CT.reminderHeading.ja;

export class Sector {
  readonly byChannel = new Map<string, Member>();
  constructor(readonly members: readonly Member[]) {
    for (const m of members) this.byChannel.set(m.channel, m);
  }
}

const isReminderCard = (s: Sent) => s.platform === 'teams' && JSON.stringify(s.body ?? '').includes(REMINDER_MARK);
const keyOf = (s: Sent) => String(s.meta?.['key'] ?? '');
/** Delivery ids, phone task ids and the baseline's keys all read `<advisory>.<member>.…`. */
const memberInKey = (key: string) => key.split('.')[1] ?? '';

/** A successful post of the advisory into a member's channel: the member. */
export function advisoryPost(sector: Sector, s: Sent): Member | undefined {
  if (s.op !== 'post' || s.status !== 200) return undefined;
  const m = sector.byChannel.get(s.channel);
  if (!m) return undefined;
  if (s.platform === 'slack') return s.meta?.['kind'] === 'advisory' ? m : undefined;
  return isReminderCard(s) ? undefined : m;
}

/**
 * A successful platform call made by a ladder step, and whose it is. The bot's alert is one grouped
 * message per wave, posted then edited (member undefined); the baseline posts one per member.
 */
export function stepCall(sector: Sector, s: Sent): { kind: StepKind; member: string | undefined } | undefined {
  if (s.status !== 200 || (s.op !== 'post' && s.op !== 'update')) return undefined;
  const inChannel = sector.byChannel.get(s.channel);
  if (s.platform === 'teams') return inChannel && s.op === 'post' && isReminderCard(s) ? { kind: 'reminder', member: inChannel.id } : undefined;
  const kind = s.meta?.['kind'];
  const key = keyOf(s);
  if (kind === 'reminder' && s.op === 'post' && inChannel) return { kind: 'reminder', member: inChannel.id };
  // The baseline's phone tasks, one post per member and step (the bot's are rows of its board: board-watch.ts).
  if (kind === 'phone_task' && s.op === 'post' && key.endsWith('.phone')) return { kind: 'phone', member: memberInKey(key) };
  if (kind === 'phone_task' && s.op === 'post' && key.endsWith('.phone.raise.1')) return { kind: 'next-contact', member: memberInKey(key) };
  if (kind === 'notice' && key.includes('.alerts.escalation.')) return { kind: 'alert', member: undefined };
  if (kind === 'notice' && s.op === 'post' && key.endsWith('.alert')) return { kind: 'alert', member: memberInKey(key) };
  return undefined;
}

/** Where a member presses Acknowledge: the advisory's message and what its button carries. */
export interface PressTarget {
  member: Member;
  messageId: string;
  /** Slack: the button's value (the delivery id). */
  value: string;
  /** Teams: the Action.Execute's data. */
  data: Record<string, unknown>;
}

/** The data of the first Action.Execute with this verb anywhere in a card. */
function executeData(node: unknown, verb: string): Record<string, unknown> | undefined {
  if (Array.isArray(node)) {
    for (const n of node) {
      const found = executeData(n, verb);
      if (found) return found;
    }
  } else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute' && o['verb'] === verb) return (o['data'] ?? {}) as Record<string, unknown>;
    for (const v of Object.values(o)) {
      const found = executeData(v, verb);
      if (found) return found;
    }
  }
  return undefined;
}

export function pressTarget(sector: Sector, s: Sent): PressTarget | undefined {
  const member = advisoryPost(sector, s);
  if (!member) return undefined;
  return { member, messageId: s.messageId, value: String(s.meta?.['delivery_id'] ?? ''), data: executeData(s.body, 'advisory_ack') ?? {} };
}
