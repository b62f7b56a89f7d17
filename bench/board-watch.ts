/**
 * The phone-task board as the on-call desk sees it, read from the calls the fakes received: each post or edit into
 * the on-call channel is a page of the board (nothing else is posted there), and its claim control lists the page's
 * open tasks by id (Slack: the select's options; Teams: the choice set's choices), each labelled with its mark and
 * the member's name. Kept: when each member's task was first claimable on the board, when it first showed overdue
 * (⚠), and what each page lists now (a task listed on two pages at once would be a fault).
 */
import type { Sent } from './platforms.js';

/** Task ids read `<advisory>.<member>.<channel>.phone`. */
const TASK_ID = /\.phone$/;
const memberOf = (taskId: string) => taskId.split('.')[1] ?? '';

/** Every claimable row in a message: the task id and its label, wherever the platform puts them. */
function claimChoices(node: unknown, out: { value: string; label: string }[] = []): { value: string; label: string }[] {
  if (Array.isArray(node)) for (const n of node) claimChoices(n, out);
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o['value'] === 'string' && TASK_ID.test(o['value'])) {
      const label = typeof o['title'] === 'string' ? o['title'] : String((o['text'] as { text?: unknown } | undefined)?.text ?? '');
      out.push({ value: o['value'], label });
    } else for (const v of Object.values(o)) claimChoices(v, out);
  }
  return out;
}

export class BoardWatch {
  /** What each page (platform, channel, message) lists now, by task id. */
  readonly pages = new Map<string, Set<string>>();
  readonly firstListed = new Map<string, number>();
  readonly firstOverdue = new Map<string, number>();
  /** Posts and edits of board pages, and how many the platform refused with a 429. */
  calls = 0;
  throttled = 0;

  constructor(private readonly oncallChannel: string) {}

  see(s: Sent): void {
    if (s.channel !== this.oncallChannel || (s.op !== 'post' && s.op !== 'update')) return;
    this.calls++;
    if (s.status === 429) this.throttled++;
    if (s.status !== 200) return;
    const choices = claimChoices(s.platform === 'slack' ? s.blocks : s.body);
    this.pages.set(`${s.platform}|${s.channel}|${s.messageId}`, new Set(choices.map((c) => c.value)));
    for (const c of choices) {
      const member = memberOf(c.value);
      if (!this.firstListed.has(member)) this.firstListed.set(member, s.at);
      if (c.label.startsWith('⚠') && !this.firstOverdue.has(member)) this.firstOverdue.set(member, s.at);
    }
  }

  /** Members whose task the pages list now, and how many of them more than one page lists. */
  listedNow(): { members: Set<string>; twice: number } {
    const count = new Map<string, number>();
    for (const ids of this.pages.values()) for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
    return { members: new Set([...count.keys()].map(memberOf)), twice: [...count.values()].filter((n) => n > 1).length };
  }
}
