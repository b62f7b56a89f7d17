import { parsePhoneNumber } from 'libphonenumber-js';
import type { Advisory } from '../domain/advisory.js';
import { roundOf } from '../domain/advisory-lifecycle.js';
import { callNow, contactChoice, contactStates, isOpenTask, triedCount, type PhoneTask } from '../domain/phone-task.js';
import type { Contact, LocalisedName } from '../directory/schema.js';
import { displayName } from './build.js';
import type { OncallListView, PhoneTaskView, ReachedChoiceView } from './views.js';

const EXCERPT_MAX = 280;

function phone(p: string): { e164: string; display: string } {
  // The directory validated every number at start-up, so parsing cannot fail here.
  const n = parsePhoneNumber(p, 'JP');
  return { e164: n.number, display: n.country === 'JP' ? n.formatNational() : n.formatInternational() };
}

export function phoneTaskView(
  advisory: Advisory,
  task: PhoneTask,
  memberName: LocalisedName,
  contacts: Contact[],
  secretariatName: LocalisedName,
): PhoneTaskView {
  const red = advisory.tlp === 'TLP:RED';
  const open = isOpenTask(task);
  const now = callNow(task);
  const states = contactStates(task, contacts.length);
  const round = roundOf(advisory, task.round ?? 1);
  // A later round's call is about its follow-up: that is the excerpt the caller reads from.
  const text = round.followup === undefined ? advisory.body : (advisory.followups?.find((f) => f.n === round.followup)?.body ?? advisory.body);
  const excerpt = text.length > EXCERPT_MAX ? `${text.slice(0, EXCERPT_MAX)}…` : text;
  return {
    taskId: task.id,
    advisoryId: advisory.id,
    title: advisory.title,
    tlp: advisory.tlp,
    severity: advisory.severity,
    drill: advisory.drill,
    ackDeadline: round.deadline,
    round: round.followup === undefined ? undefined : { n: round.n, followup: round.followup },
    memberName,
    // TLP:RED is for the named recipients only: the caller reads out the title and asks for a call back.
    script: red ? 'red' : 'standard',
    excerpt: red ? undefined : excerpt,
    secretariatName,
    contacts: contacts.map((c, i) => {
      const p = phone(c.phone);
      return {
        name: c.name,
        role: c.role,
        phoneE164: p.e164,
        phoneDisplay: p.display,
        current: i === now,
        callable: open && i <= task.contactIndex,
        state: states[i] ?? 'not_tried',
        tried: task.attempts.filter((a) => a.contactIndex === i).map((a) => a.outcome),
      };
    }),
    state: task.state,
    claimedBy: task.claimedBy ? displayName(task.claimedBy) : undefined,
    exhausted: task.exhausted,
    tried: triedCount(task, contacts.length),
    overdue: open && task.overdueSince ? { since: task.overdueSince } : undefined,
    reachedChoices: reachedChoices(task, contacts),
    resolution: task.resolution
      ? {
          kind: task.resolution.kind,
          by: task.resolution.by ? displayName(task.resolution.by) : undefined,
          at: task.resolution.at,
          ...(task.resolution.contact === undefined ? {} : { contact: task.resolution.contact }),
        }
      : undefined,
  };
}

/** Who may have answered: the contact being called now first (the likeliest), then the others in call order. */
function reachedChoices(task: PhoneTask, contacts: Contact[]): ReachedChoiceView[] {
  if (!isOpenTask(task)) return [];
  const choices = contacts.map((c, i) => ({
    index: i,
    name: c.name,
    ...(c.role === undefined ? {} : { role: c.role }),
    current: i === (callNow(task) ?? task.contactIndex),
    choice: contactChoice(i, c),
  }));
  return [...choices.filter((c) => c.current), ...choices.filter((c) => !c.current)];
}

export function oncallListView(
  rows: { task: PhoneTask; advisory: Advisory; memberName: LocalisedName; contacts: number }[],
): OncallListView {
  return {
    tasks: rows.map(({ task, advisory, memberName, contacts }) => ({
      taskId: task.id,
      advisoryId: advisory.id,
      title: advisory.title,
      tlp: advisory.tlp,
      severity: advisory.severity,
      drill: advisory.drill,
      memberName,
      state: task.state,
      claimedBy: task.claimedBy ? displayName(task.claimedBy) : undefined,
      contactIndex: task.contactIndex,
      contacts,
      exhausted: task.exhausted,
      createdAt: task.createdAt,
    })),
  };
}
