/**
 * The simulated people, acting on the bot as it runs: members press 受領確認 on what the bot posted in their
 * channel, on-call staff claim tasks from the phone-task board and record their calls on the copy the bot sent them.
 * Every action goes through the core's commands (acknowledgeFromMessage, claimFromBoard, phoneTaskAction), the same
 * ones the Slack, Teams and local adapters call.
 *
 * How the runs repeat. The people act on a timeline of their own, in the scaled clock's time: every action has a
 * planned time (drawn up front, sim/model.ts), and the events are taken in the order of their planned times (ties in
 * a fixed order), each one when the clock reaches it. A person who depends on the bot waits for it: a member presses
 * once their message is there; a phone person looks at the board only once it lists every task the ladder was due to
 * open by then (the barrier); an outcome is recorded once the claimer's copy is there. A press never runs ahead of
 * a phone event planned before it (presses run together, but a phone event waits for every earlier press, and a press
 * is only started after every earlier phone event has finished), so the bot has always seen exactly the earlier
 * actions when a person decides. Choices read only what is settled by then: the rows of the board due by the
 * person's time, in due order and then the directory's order (the board lists tasks due at the same moment in the
 * order their jobs happened to run). The figures are taken on this timeline, so they are the same on every run with
 * the same seed and parameters, however busy the machine; the bot's own record of the same run (its
 * acknowledgement times on the scaled clock) is reported beside them, and differs by the bot's real-time lag × scale.
 */
import type { Core } from '../src/core.js';
import type { ScaledClock } from '../src/clock.js';
import { callNow } from '../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../src/domain/platform.js';
import { isBotError, type ErrorCode } from '../src/errors.js';
import type { PhoneBoardRowView, PhoneTaskView } from '../src/view/views.js';
import { Heap } from './heap.js';
import type { MemberPlan, SimParams } from './model.js';
import { directChannel, type SimChat } from './platform.js';
import { contactUserId, memberChannel, memberName, ONCALL_CHANNEL } from './sector.js';

const MINUTE = 60_000;

export interface WorldSetup {
  core: Core;
  chat: SimChat;
  clock: ScaledClock;
  params: SimParams;
  plan: MemberPlan[];
  staff: Actor[];
  advisoryId: string;
  /** Clock times (ms) of the issue, the reminder step and the phone step (absent: the ladder has none). */
  issuedAtMs: number;
  reminderAtMs?: number | undefined;
  phoneAtMs?: number | undefined;
  /** Real milliseconds a person waits for the bot before saying so (a problem) and going on. */
  waitTimeoutMs: number;
  /** No event planned after this clock time runs: the run stops there. */
  stopAtMs: number;
  /** Progress on the terminal, or nothing. */
  progress?: ((line: string) => void) | undefined;
}

type EventBody =
  | { kind: 'press'; member: number; via: 'advisory' | 'reminder' }
  | { kind: 'call-end'; staff: number; member: number; contact: number; round: number; startedAt: number }
  | { kind: 'look'; staff: number };
type SimEvent = EventBody & { at: number; seq: number };

/** At the same planned time: presses first, then calls ending, then people looking for work. */
const RANK: Record<EventBody['kind'], number> = { press: 0, 'call-end': 1, look: 2 };

export type Confirmation = { at: number; how: 'button'; via: 'advisory' | 'reminder' } | { at: number; how: 'phone'; by: number; contact: number };

export interface TaskRecord {
  member: number;
  openedAt: number;
  claimedAt?: number | undefined;
  claimedBy?: number | undefined;
  calls: number;
  rounds: number;
  /** How and when it ended on the people's timeline (absent: still open when the run stopped). */
  ended?: { at: number; how: 'reached' | 'acknowledged' | 'given-up' } | undefined;
}

export interface StaffRecord {
  actor: Actor;
  calls: number;
  reached: number;
  busyMs: number;
  /** Retries this person owes: the member and when the next round may start. */
  retries: { member: number; round: number; dueAt: number }[];
}

export interface WorldResult {
  confirmations: Map<number, Confirmation>;
  tasks: Map<number, TaskRecord>;
  staff: StaffRecord[];
  callsMade: number;
  /** Outcomes the bot refused because the member had acknowledged during the call (the call was made all the same). */
  callsRefusedClosed: number;
  /** How far behind its plan each phone person's action ran, in clock ms (the bot's lag and the barrier's waits). */
  lagMs: number[];
  /** Presses that found the bot had not yet recorded the message pressed (the person pressed again). */
  pressedAgain: number;
  /** The most open (not ended) tasks the board's first page counted while the phones were worked. */
  boardPeakOpen: number;
  /** Things that should not happen: the bot did not show what the people waited for, or refused what it should not. */
  problems: string[];
  stoppedAt: number;
}

export class World {
  readonly #s: WorldSetup;
  readonly #events = new Heap<SimEvent>((a, b) => a.at < b.at || (a.at === b.at && (RANK[a.kind] < RANK[b.kind] || (RANK[a.kind] === RANK[b.kind] && a.seq < b.seq))));
  #seq = 0;
  readonly #pending = new Set<Promise<void>>();
  readonly #confirmations = new Map<number, Confirmation>();
  readonly #tasks = new Map<number, TaskRecord>();
  readonly #staff: StaffRecord[];
  readonly #byName = new Map<string, number>();
  #boardComplete = false;
  #callsMade = 0;
  #pressedAgain = 0;
  #refusedClosed = 0;
  #boardPeakOpen = 0;
  readonly #lag: number[] = [];
  readonly #problems: string[] = [];
  #lastProgress = 0;

  constructor(setup: WorldSetup) {
    this.#s = setup;
    this.#staff = setup.staff.map((actor) => ({ actor, calls: 0, reached: 0, busyMs: 0, retries: [] }));
    for (const m of setup.plan) this.#byName.set(memberName(m.index).ja, m.index);
  }

  #schedule(body: EventBody, at: number): void {
    this.#events.push({ ...body, at, seq: this.#seq++ } as SimEvent);
  }

  #problem(text: string): void {
    if (this.#problems.length < 200) this.#problems.push(text);
  }

  #minutes(at: number): string {
    return `${((at - this.#s.issuedAtMs) / MINUTE).toFixed(1)} min`;
  }

  async run(): Promise<WorldResult> {
    const { plan, issuedAtMs, reminderAtMs, phoneAtMs } = this.#s;
    for (const m of plan) {
      if (m.silent) continue;
      const own = issuedAtMs + m.ownPressMinutes * MINUTE;
      const reminded = reminderAtMs !== undefined && own > reminderAtMs ? reminderAtMs + m.afterReminderMinutes * MINUTE : Number.POSITIVE_INFINITY;
      if (reminded < own) this.#schedule({ kind: 'press', member: m.index, via: 'reminder' }, reminded);
      else this.#schedule({ kind: 'press', member: m.index, via: 'advisory' }, own);
    }
    if (phoneAtMs !== undefined) this.#staff.forEach((_, n) => this.#schedule({ kind: 'look', staff: n }, phoneAtMs));

    let stoppedAt = issuedAtMs;
    for (let ev = this.#events.pop(); ev; ev = this.#events.pop()) {
      if (ev.at > this.#s.stopAtMs) {
        this.#problem(`stopped at ${this.#minutes(this.#s.stopAtMs)} with work still planned (raise --max-hours)`);
        break;
      }
      await this.#until(ev.at);
      stoppedAt = ev.at;
      if (ev.kind === 'press') {
        this.#press(ev);
        continue;
      }
      // A phone person acts on a bot that has seen every earlier press.
      await Promise.all([...this.#pending]);
      this.#lag.push(Math.max(0, this.#s.clock.nowMs() - ev.at));
      if (ev.kind === 'look') await this.#look(ev.staff, ev.at);
      else await this.#callEnded(ev);
      this.#report(ev.at);
    }
    await Promise.all([...this.#pending]);
    return {
      confirmations: this.#confirmations,
      tasks: this.#tasks,
      staff: this.#staff,
      callsMade: this.#callsMade,
      callsRefusedClosed: this.#refusedClosed,
      lagMs: this.#lag,
      pressedAgain: this.#pressedAgain,
      boardPeakOpen: this.#boardPeakOpen,
      problems: this.#problems,
      stoppedAt,
    };
  }

  #report(at: number): void {
    if (!this.#s.progress || at - this.#lastProgress < 30 * MINUTE) return;
    this.#lastProgress = at;
    const open = [...this.#tasks.values()].filter((t) => !t.ended).length;
    this.#s.progress(`  ${this.#minutes(at)}: ${this.#confirmations.size}/${this.#s.plan.length} confirmed, ${open} tasks open, ${this.#callsMade} calls`);
  }

  async #until(at: number): Promise<void> {
    const wait = this.#s.clock.toRealMs(at - this.#s.clock.nowMs());
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(wait)));
  }

  // ---- members -----------------------------------------------------------------------------

  #press(ev: Extract<SimEvent, { kind: 'press' }>): void {
    const m = ev.member;
    // Reached by phone before they got to it: nothing left to press for.
    if (this.#confirmations.has(m)) return;
    this.#confirmations.set(m, { at: ev.at, how: 'button', via: ev.via });
    const task = this.#tasks.get(m);
    if (task && !task.ended) task.ended = { at: ev.at, how: 'acknowledged' };
    const p = this.#pressOnBot(m, ev.via).catch((err: unknown) => this.#problem(`member ${m + 1}: the press failed: ${describe(err)}`));
    const tracked = p.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
  }

  async #pressOnBot(m: number, via: 'advisory' | 'reminder'): Promise<void> {
    const channel = memberChannel(m);
    const find = () => this.#s.chat.messagesIn(channel).find((msg) => msg.view.kind === via);
    if (!(await this.#s.chat.waitFor(channel, () => find() !== undefined, this.#s.waitTimeoutMs))) {
      this.#problem(`member ${m + 1}: no ${via} in their channel within ${this.#s.waitTimeoutMs} ms of real time`);
      return;
    }
    const message = (find() as { ref: MessageRef }).ref;
    const actor: Actor = { platform: 'slack', userId: contactUserId(m, 0), name: `担当者${String(m + 1).padStart(4, '0')}-1` };
    if (await this.#again(() => this.#s.core.acknowledgeFromMessage({ actor, message }), 'DELIVERY.NOT_FOUND')) this.#pressedAgain += 1;
  }

  /**
   * A press that comes the moment a message appears can beat the bot's record of where it posted it (the platform
   * answered the post, the store is not written yet): the bot answers that it knows no such message, and the person
   * presses again a moment later. Returns whether it took more than one press; throws anything else, or `code` still
   * after the wait.
   */
  async #again(press: () => Promise<unknown>, code: ErrorCode): Promise<boolean> {
    const until = Date.now() + this.#s.waitTimeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        await press();
        return attempt > 0;
      } catch (err) {
        if (!isBotError(err, code) || Date.now() > until) throw err;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  // ---- on-call staff -----------------------------------------------------------------------

  /** Every row of the advisory's board as its pages show them now, with the page each is on. */
  #board(): Map<string, { row: PhoneBoardRowView; page: MessageRef }> {
    const rows = new Map<string, { row: PhoneBoardRowView; page: MessageRef }>();
    let open = 0;
    for (const msg of this.#s.chat.messagesIn(ONCALL_CHANNEL)) {
      if (msg.view.kind !== 'phone_board' || msg.view.view.advisoryId !== this.#s.advisoryId) continue;
      const counts = msg.view.view.counts;
      if (counts) open = counts.open + counts.claimed;
      for (const row of msg.view.view.rows) rows.set(row.taskId, { row, page: msg.ref });
    }
    this.#boardPeakOpen = Math.max(this.#boardPeakOpen, open);
    return rows;
  }

  #memberOf(row: PhoneBoardRowView): number | undefined {
    return this.#byName.get(row.memberName.ja);
  }

  /**
   * The barrier: the board lists a task for every member the phone step was due to reach (everyone not confirmed by
   * then, on the people's timeline). Waited for once, at the first look after the phone step.
   */
  async #awaitBoard(): Promise<void> {
    if (this.#boardComplete) return;
    this.#boardComplete = true;
    const phoneAt = this.#s.phoneAtMs as number;
    const expected = this.#s.plan.filter((m) => !((this.#confirmations.get(m.index)?.at ?? Number.POSITIVE_INFINITY) <= phoneAt)).map((m) => m.index);
    for (const m of expected) this.#tasks.set(m, { member: m, openedAt: phoneAt, calls: 0, rounds: 0 });
    const listed = () => {
      const members = new Set<number>();
      for (const { row } of this.#board().values()) {
        const m = this.#memberOf(row);
        if (m !== undefined) members.add(m);
      }
      return expected.every((m) => members.has(m));
    };
    if (!(await this.#s.chat.waitFor(ONCALL_CHANNEL, listed, this.#s.waitTimeoutMs))) {
      const members = new Set([...this.#board().values()].map(({ row }) => this.#memberOf(row)));
      const missing = expected.filter((m) => !members.has(m));
      this.#problem(`the board listed ${expected.length - missing.length} of the ${expected.length} tasks due at the phone step within ${this.#s.waitTimeoutMs} ms of real time (missing e.g. member ${(missing[0] ?? 0) + 1})`);
    }
  }

  async #look(n: number, at: number): Promise<void> {
    const person = this.#staff[n] as StaffRecord;
    // A retry that is due comes first: the person promised it.
    person.retries.sort((a, b) => a.dueAt - b.dueAt || a.member - b.member);
    const retry = person.retries[0];
    if (retry && retry.dueAt <= at) {
      person.retries.shift();
      await this.#startRound(n, retry.member, retry.round, at);
      return;
    }
    await this.#awaitBoard();
    // The open rows of tasks the phone step opened (a row's own due time is when its job happened to run, a moment
    // after the step's time, so it orders nothing): the first in the directory's order.
    const candidates: { member: number; taskId: string; page: MessageRef }[] = [];
    for (const [taskId, { row, page }] of this.#board()) {
      const member = this.#memberOf(row);
      if (member === undefined) continue;
      const task = this.#tasks.get(member);
      if (this.#confirmations.has(member) || !task || task.claimedBy !== undefined || task.ended) continue;
      if (row.state === 'done' || row.state === 'cancelled') continue;
      candidates.push({ member, taskId, page });
    }
    candidates.sort((a, b) => a.member - b.member);
    for (const c of candidates) {
      try {
        let result: Awaited<ReturnType<Core['claimFromBoard']>> | undefined;
        if (await this.#again(async () => (result = await this.#s.core.claimFromBoard({ actor: person.actor, message: c.page, taskId: c.taskId })), 'PHONE.NOT_YOURS')) this.#pressedAgain += 1;
        if (result?.outcome !== 'done') this.#problem(`member ${c.member + 1}: the claim by ${person.actor.name} changed nothing`);
      } catch (err) {
        this.#problem(`member ${c.member + 1}: the bot refused the claim by ${person.actor.name}: ${describe(err)}`);
        continue;
      }
      this.#taskIds.set(c.member, c.taskId);
      const task = this.#tasks.get(c.member) as TaskRecord;
      task.claimedAt = at;
      task.claimedBy = n;
      await this.#startRound(n, c.member, 0, at);
      return;
    }
    // Nothing to claim: look again when a retry of this person's is due. No other task opens later in this model
    // (every member's phone step is at the same time after issue), so a person with none is done.
    const next = person.retries[0];
    if (next) this.#schedule({ kind: 'look', staff: n }, next.dueAt);
  }

  /** Contacts called in a round: every one in the first; in a retry, those whose number is not known to be wrong. */
  #contactsOf(member: number, round: number): number[] {
    const plan = this.#s.plan[member] as MemberPlan;
    return plan.wrongNumber.map((wrong, c) => (round > 0 && wrong ? -1 : c)).filter((c) => c >= 0);
  }

  async #startRound(n: number, member: number, round: number, at: number): Promise<void> {
    const task = this.#tasks.get(member) as TaskRecord;
    if (this.#confirmations.has(member) || task.ended) {
      // Pressed meanwhile: the task ended without a call.
      this.#schedule({ kind: 'look', staff: n }, at);
      return;
    }
    task.rounds = round + 1;
    const first = this.#contactsOf(member, round)[0] as number;
    this.#call(n, member, first, round, at);
  }

  #call(n: number, member: number, contact: number, round: number, at: number): void {
    const draw = (this.#s.plan[member] as MemberPlan).calls[round]?.[contact];
    if (!draw) throw new Error(`no draw for member ${member} contact ${contact} round ${round}`);
    this.#schedule({ kind: 'call-end', staff: n, member, contact, round, startedAt: at }, at + draw.minutes * MINUTE);
  }

  /** The claimer's copy of the task in their direct conversation, once the bot has sent it. */
  async #copy(n: number, taskId: string): Promise<{ ref: MessageRef; view: PhoneTaskView } | undefined> {
    const person = this.#staff[n] as StaffRecord;
    const channel = directChannel(person.actor.userId);
    const find = () => {
      for (const msg of this.#s.chat.messagesIn(channel)) if (msg.view.kind === 'phone_task' && msg.view.view.taskId === taskId) return { ref: msg.ref, view: msg.view.view };
      return undefined;
    };
    if (await this.#s.chat.waitFor(channel, () => find() !== undefined, this.#s.waitTimeoutMs)) return find();
    this.#problem(`${person.actor.name}: no copy of ${taskId} in their direct messages within ${this.#s.waitTimeoutMs} ms of real time`);
    return undefined;
  }

  async #callEnded(ev: Extract<SimEvent, { kind: 'call-end' }>): Promise<void> {
    const { staff: n, member, contact, round, at } = ev;
    const person = this.#staff[n] as StaffRecord;
    const task = this.#tasks.get(member) as TaskRecord;
    const draw = (this.#s.plan[member] as MemberPlan).calls[round]?.[contact] as { outcome: 'reached' | 'no_answer' | 'wrong_number' };
    this.#callsMade += 1;
    person.calls += 1;
    person.busyMs += at - ev.startedAt;
    task.calls += 1;
    const pressedMeanwhile = this.#confirmations.has(member);
    const taskId = await this.#taskIdOf(member);
    const copy = taskId ? await this.#copy(n, taskId) : undefined;
    if (copy) {
      const choice = copy.view.reachedChoices.find((c) => c.index === contact)?.choice;
      try {
        let result: Awaited<ReturnType<Core['phoneTaskAction']>> | undefined;
        const record = async () =>
          (result = await this.#s.core.phoneTaskAction({
            actor: person.actor,
            message: copy.ref,
            claimedTaskId: copy.view.taskId,
            action: draw.outcome,
            ...(draw.outcome === 'reached' ? { choice } : {}),
          }));
        if (await this.#again(record, 'PHONE.NOT_FOUND')) this.#pressedAgain += 1;
        if (!result) throw new Error('no answer to the outcome');
        // The bot's rule for whom to call next must agree with the order the person follows (first round).
        const next = this.#contactsOf(member, round).find((c) => c > contact);
        if (round === 0 && draw.outcome !== 'reached' && next !== undefined && callNow(result.task) !== next) {
          this.#problem(`member ${member + 1}: after contact ${contact + 1} the bot says to call ${String((callNow(result.task) ?? -1) + 1)}, not ${next + 1}`);
        }
      } catch (err) {
        if (pressedMeanwhile && isBotError(err, 'PHONE.CLOSED')) this.#refusedClosed += 1;
        else this.#problem(`member ${member + 1}: the bot refused ${draw.outcome} by ${person.actor.name}: ${describe(err)}`);
      }
    }
    if (pressedMeanwhile) {
      // The member acknowledged during the call: the task has ended; on to the next.
      this.#schedule({ kind: 'look', staff: n }, at);
      return;
    }
    if (draw.outcome === 'reached') {
      person.reached += 1;
      this.#confirmations.set(member, { at, how: 'phone', by: n, contact });
      task.ended = { at, how: 'reached' };
      this.#schedule({ kind: 'look', staff: n }, at);
      return;
    }
    const next = this.#contactsOf(member, round).find((c) => c > contact);
    if (next !== undefined) {
      this.#call(n, member, next, round, at);
      return;
    }
    // Every contact tried in this round.
    if (round < this.#s.params.retryRounds && this.#contactsOf(member, round + 1).length > 0) {
      person.retries.push({ member, round: round + 1, dueAt: at + this.#s.params.retryAfterMinutes * MINUTE });
    } else {
      task.ended = { at, how: 'given-up' };
    }
    this.#schedule({ kind: 'look', staff: n }, at);
  }

  readonly #taskIds = new Map<number, string>();
  async #taskIdOf(member: number): Promise<string | undefined> {
    const known = this.#taskIds.get(member);
    if (known) return known;
    for (const [taskId, { row }] of this.#board()) {
      if (this.#memberOf(row) === member) {
        this.#taskIds.set(member, taskId);
        return taskId;
      }
    }
    this.#problem(`member ${member + 1}: no task on the board`);
    return undefined;
  }
}

function describe(err: unknown): string {
  if (isBotError(err)) return `${err.code}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
