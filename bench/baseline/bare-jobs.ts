/** What the bench asks of the bare baseline worker: one job per delivery, ladder step or press. */
import { POST_EVENT_TYPE } from '../../adapters/slack/slack-blocks.js';
import { CT } from '../../src/i18n/chat-text.js';
import type { Member } from '../members.js';

export interface BareJob {
  op: 'post' | 'update';
  platform: 'slack' | 'teams';
  channel: string;
  /** For an update: the message to update. */
  messageId?: string;
  /** What the job stands for: 'advisory', a ladder step's kind, 'ack'; recorded with the member in the baseline's store. */
  kind: string;
  member: string;
  text: string;
  /** Slack: the same metadata shape as the bot's, so one classifier reads both. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Teams: the Adaptive Card. */
  card?: object;
}

/** The advisory to one member: on Teams a card with an acknowledge button, as the bot's has. */
export function bareDelivery(m: Member): BareJob {
  const key = `BARE.${m.id}`;
  return {
    op: 'post',
    platform: m.platform,
    channel: m.channel,
    kind: 'advisory',
    member: m.id,
    text: `bare advisory for ${m.id}`,
    metadata: { event_type: POST_EVENT_TYPE, event_payload: { kind: 'advisory', key, delivery_id: key } },
    card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: `bare advisory for ${m.id}` }], actions: [{ type: 'Action.Execute', verb: 'advisory_ack', data: { deliveryId: key } }] },
  };
}

/**
 * One ladder step of one member, posted where the bot posts it: the reminder in the member's channel
 * (on Teams with the bot's reminder heading, which is how the bench tells a reminder card), the phone
 * task and its raise in the on-call channel, the alert in the secretariat's.
 */
export function bareStep(kind: 'reminder' | 'phone' | 'next-contact' | 'alert', m: Member, oncall: string, secretariat: string): BareJob {
  const key = `BARE.${m.id}.${kind === 'reminder' ? 'reminder' : kind === 'phone' ? 'phone' : kind === 'next-contact' ? 'phone.raise.1' : 'alert'}`;
  const postKind = kind === 'reminder' ? 'reminder' : kind === 'alert' ? 'notice' : 'phone_task';
  const inMemberChannel = kind === 'reminder';
  const text = `${CT.reminderHeading.ja} ${key}`;
  return {
    op: 'post',
    platform: inMemberChannel ? m.platform : 'slack',
    channel: inMemberChannel ? m.channel : kind === 'alert' ? secretariat : oncall,
    kind,
    member: m.id,
    text,
    metadata: { event_type: POST_EVENT_TYPE, event_payload: { kind: postKind, key } },
    card: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text }] },
  };
}
