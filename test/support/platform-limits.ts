/**
 * The platforms' published rate limits, as the fakes can enforce them (off unless a fake is started
 * with `limits`): which requests count against which bucket, and the Retry-After of a refusal.
 *   Slack: chat.postMessage and chat.update ~1 a second per channel with a short burst, and a
 *          workspace-wide rate; conversations.history (and .replies) about 50 a minute (Tier 3).
 *   Teams: 7 messages a second per conversation (a thread counts as its channel), and a rate for the
 *          tenant (the fake serves one tenant, so every message counts against it).
 */
import { admit, KeyedBuckets, TokenBucket, type Rate } from './token-bucket.js';

export interface SlackLimits {
  /** Per channel; default 1 a second, burst 3. */
  perChannel?: Rate;
  /** Workspace-wide messages a second (posts and updates); burst one second's worth unless `workspaceBurst`. */
  workspacePerSecond: number;
  workspaceBurst?: number;
  /** conversations.history and conversations.replies, workspace-wide; default 50 a minute, burst 5. */
  history?: Rate;
}

export interface TeamsLimits {
  /** Per conversation; default 7 a second, burst 7. */
  perConversation?: Rate;
  /** The tenant's messages a second; burst one second's worth unless `tenantBurst`. */
  tenantPerSecond: number;
  tenantBurst?: number;
}

/** undefined: let it through (a token was taken); a number: refuse with this Retry-After, in seconds. */
export type Gate = (operation: string, key: string | undefined) => number | undefined;

const SLACK_MESSAGE_METHODS = new Set(['chat.postMessage', 'chat.update']);
const SLACK_HISTORY_METHODS = new Set(['conversations.history', 'conversations.replies']);
const TEAMS_MESSAGE_OPERATIONS = new Set(['sendToConversation', 'replyToActivity', 'updateActivity']);

const verdict = (buckets: TokenBucket[]): number | undefined => {
  const a = admit(buckets);
  return a.ok ? undefined : a.retryAfterSec;
};

export function slackGate(limits: SlackLimits, now: () => number = Date.now): Gate {
  const channels = new KeyedBuckets(limits.perChannel ?? { perSecond: 1, burst: 3 }, now);
  const workspace = new TokenBucket({ perSecond: limits.workspacePerSecond, burst: limits.workspaceBurst ?? Math.max(1, limits.workspacePerSecond) }, now);
  const history = new TokenBucket(limits.history ?? { perSecond: 50 / 60, burst: 5 }, now);
  return (method, channel) => {
    if (SLACK_HISTORY_METHODS.has(method)) return verdict([history]);
    if (!SLACK_MESSAGE_METHODS.has(method)) return undefined;
    return verdict(channel === undefined ? [workspace] : [channels.get(channel), workspace]);
  };
}

export function teamsGate(limits: TeamsLimits, now: () => number = Date.now): Gate {
  const conversations = new KeyedBuckets(limits.perConversation ?? { perSecond: 7, burst: 7 }, now);
  const tenant = new TokenBucket({ perSecond: limits.tenantPerSecond, burst: limits.tenantBurst ?? Math.max(1, limits.tenantPerSecond) }, now);
  return (operation, conversation) => {
    if (!TEAMS_MESSAGE_OPERATIONS.has(operation)) return undefined;
    return verdict(conversation === undefined ? [tenant] : [conversations.get(conversation), tenant]);
  };
}
