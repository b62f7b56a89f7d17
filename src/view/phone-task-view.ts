import { parsePhoneNumber } from 'libphonenumber-js';
import type { Advisory } from '../domain/advisory.js';
import { policyOfRound, roundOf } from '../domain/advisory-lifecycle.js';
import { callNow, contactChoice, contactStates, isOpenTask, triedCount, type PhoneTask } from '../domain/phone-task.js';
import { SEVERITIES } from '../domain/classification.js';
import { ladder } from '../domain/escalation.js';
import type { Contact, LocalisedName } from '../directory/schema.js';
import { displayName } from './build.js';
import type { OncallGroupView, OncallListView, OncallTaskView, PhoneTaskView, ReachedChoiceView } from './views.js';

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
  const from = callableTimes(advisory, task, contacts.length);
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
        ...(open && i > task.contactIndex && from[i] !== undefined ? { callableFrom: from[i] } : {}),
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

/**
 * When the ladder makes each contact callable (ISO; undefined for the first, and for contacts the ladder never reaches
 * before it alerts the secretariat): its next-contact steps, counted from the start of the task's round as the ladder
 * is (policyOfRound: a later round keeps the intervals and takes its own deadline).
 */
function callableTimes(advisory: Advisory, task: PhoneTask, contacts: number): (string | undefined)[] {
  const r = roundOf(advisory, task.round ?? 1);
  const since = new Date(r.since).getTime();
  const times: (string | undefined)[] = Array.from({ length: contacts }, () => undefined);
  for (const step of ladder(policyOfRound(advisory, task.round ?? 1), contacts)) {
    if (step.kind === 'next-contact') times[step.index] = new Date(since + step.at * 1000).toISOString();
  }
  return times;
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

/** When a task's call became due: its phone step (a later round's comes at that round's deadline at the earliest). */
export function dueAt(task: PhoneTask, advisory: Advisory): string {
  if ((task.round ?? 1) <= 1) return task.createdAt;
  const deadline = roundOf(advisory, task.round).deadline;
  return Date.parse(deadline) > Date.parse(task.createdAt) ? deadline : task.createdAt;
}

const rank = (s: OncallTaskView['severity']) => SEVERITIES.indexOf(s);
const byDue = (a: OncallTaskView, b: OncallTaskView) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || (a.taskId < b.taskId ? -1 : a.taskId > b.taskId ? 1 : 0);

/**
 * The on-call list: grouped by advisory, real advisories before drills (each drill group is marked 【訓練】), then the
 * most severe advisory first (level 4 first), then the one whose earliest task is due first; within an advisory, the
 * task due first first.
 */
export function oncallListView(
  rows: { task: PhoneTask; advisory: Advisory; memberName: LocalisedName; contacts: number }[],
): OncallListView {
  const groups = new Map<string, OncallGroupView>();
  for (const { task, advisory, memberName, contacts } of rows) {
    let group = groups.get(advisory.id);
    if (!group) {
      group = { advisoryId: advisory.id, title: advisory.title, tlp: advisory.tlp, severity: advisory.severity, drill: advisory.drill, tasks: [] };
      groups.set(advisory.id, group);
    }
    group.tasks.push({
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
      tried: triedCount(task, contacts),
      ...(task.overdueSince === undefined ? {} : { overdueSince: task.overdueSince }),
      exhausted: task.exhausted,
      createdAt: task.createdAt,
      dueAt: dueAt(task, advisory),
    });
  }
  const sorted = [...groups.values()].map((g) => ({ ...g, tasks: [...g.tasks].sort(byDue) }));
  const firstDue = (g: OncallGroupView) => Date.parse(g.tasks[0]?.dueAt ?? '');
  // Real advisories before drills, whatever their severity: a drill running during a real incident never comes first.
  sorted.sort(
    (a, b) =>
      Number(a.drill) - Number(b.drill) ||
      rank(a.severity) - rank(b.severity) ||
      firstDue(a) - firstDue(b) ||
      (a.advisoryId < b.advisoryId ? -1 : a.advisoryId > b.advisoryId ? 1 : 0),
  );
  return { groups: sorted, tasks: sorted.flatMap((g) => g.tasks) };
}
