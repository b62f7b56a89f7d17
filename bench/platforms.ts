/**
 * The fake Slack and Bot Connector of one measured run (fresh for each, so nothing carries over), and
 * what they received as a stream of finished calls. The bench never uses the fakes' waitFor: it
 * re-runs its predicate on every request, which at thousands of requests would load the bench
 * process (which also serves the fakes) far more than the thing measured. Instead each poll takes
 * only the calls that finished since the last one.
 */
import { startFakeConnector, baseConversationId, type FakeConnector, type RecordedConnectorCall } from '../test/support/fake-bot-connector.js';
import { startFakeSlack, type FakeSlack, type RecordedCall } from '../test/support/fake-slack.js';
import { ONCALL_CHANNEL } from './members.js';

export interface PlatformOptions {
  latencyMs: number;
  /** Messages a second for the Slack workspace and the Teams tenant; absent: no limits at all. */
  limits?: { slackPerSecond: number; teamsPerSecond: number } | undefined;
}

/** One finished call to a fake, as the bench reads it. */
export interface Sent {
  platform: 'slack' | 'teams';
  op: 'post' | 'update' | 'history' | 'other';
  status: number;
  /** Channel or (base) conversation id. */
  channel: string;
  /** The message made (post) or touched (update). */
  messageId: string;
  /** When the fake received it (ms since the epoch). */
  at: number;
  /** Slack: the post's metadata payload. */
  meta?: Record<string, unknown> | undefined;
  /** Slack: the message's blocks, for calls into the on-call channel only (the phone-task board is read from them). */
  blocks?: unknown;
  /** Teams: the activity sent. */
  body?: unknown;
}

export interface Platforms {
  slack: FakeSlack;
  teams: FakeConnector;
  /** Calls finished since the last take, in order of arrival. */
  take(): Sent[];
  close(): Promise<void>;
}

/** Takes each finished call once, keeping the ones still unanswered for a later take. */
class Finished<C extends { outcome?: unknown }> {
  #next = 0;
  #pending: C[] = [];
  constructor(private readonly calls: readonly C[]) {}
  take(): C[] {
    const done: C[] = [];
    const still: C[] = [];
    for (const c of this.#pending) (c.outcome === undefined ? still : done).push(c);
    for (; this.#next < this.calls.length; this.#next++) {
      const c = this.calls[this.#next] as C;
      (c.outcome === undefined ? still : done).push(c);
    }
    this.#pending = still;
    return done;
  }
}

const SLACK_OPS: Record<string, Sent['op']> = { 'chat.postMessage': 'post', 'chat.update': 'update', 'conversations.history': 'history' };
const TEAMS_OPS: Record<string, Sent['op']> = { sendToConversation: 'post', replyToActivity: 'post', updateActivity: 'update' };

function fromSlack(c: RecordedCall): Sent {
  const outcome = c.outcome === 'dropped' || c.outcome === undefined ? { status: 0, body: {} } : c.outcome;
  const body = outcome.body as { ok?: boolean; ts?: string } | undefined;
  const status = outcome.status === 200 && body?.ok !== true ? 500 : outcome.status;
  const meta = (c.params['metadata'] as { event_payload?: Record<string, unknown> } | undefined)?.event_payload;
  return {
    platform: 'slack',
    op: SLACK_OPS[c.method] ?? 'other',
    status,
    channel: String(c.params['channel'] ?? ''),
    messageId: String(c.method === 'chat.postMessage' ? (body?.ts ?? '') : (c.params['ts'] ?? '')),
    at: c.receivedAt,
    meta,
    ...(c.params['channel'] === ONCALL_CHANNEL ? { blocks: c.params['blocks'] } : {}),
  };
}

function fromTeams(c: RecordedConnectorCall): Sent {
  const outcome = c.outcome === 'dropped' || c.outcome === undefined ? { status: 0, body: {} } : c.outcome;
  const made = (outcome.body as { id?: string } | undefined)?.id;
  return {
    platform: 'teams',
    op: TEAMS_OPS[c.operation] ?? 'other',
    status: outcome.status,
    channel: baseConversationId(c.conversationId ?? ''),
    messageId: String(c.operation === 'updateActivity' ? c.activityId : (made ?? '')),
    at: c.receivedAt,
    body: c.body,
  };
}

export async function startPlatforms(o: PlatformOptions): Promise<Platforms> {
  const slack = await startFakeSlack({
    latencyMs: o.latencyMs,
    ...(o.limits ? { limits: { workspacePerSecond: o.limits.slackPerSecond } } : {}),
  });
  const teams = await startFakeConnector({
    latencyMs: o.latencyMs,
    ...(o.limits ? { limits: { tenantPerSecond: o.limits.teamsPerSecond } } : {}),
  });
  const slackCalls = new Finished(slack.calls);
  const teamsCalls = new Finished(teams.calls);
  return {
    slack,
    teams,
    take: () => [...slackCalls.take().map(fromSlack), ...teamsCalls.take().map(fromTeams)].sort((a, b) => a.at - b.at),
    async close() {
      await slack.close();
      await teams.close();
    },
  };
}

/** Polls `check` every `everyMs` until it returns true or `timeoutMs` passes; false then. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
