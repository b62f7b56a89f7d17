import type { Advisory } from '../../../src/domain/advisory.js';
import type { Acknowledgement, AuditEvent } from '../../../src/domain/audit.js';
import type { ConversationRecord } from '../../../src/domain/conversation.js';
import { newDelivery } from '../../../src/domain/delivery.js';
import type { ChannelAddress, Delivery } from '../../../src/domain/delivery.js';
import { DEFAULT_POLICIES } from '../../../src/domain/escalation.js';
import { newPhoneTask } from '../../../src/domain/phone-task.js';
import type { PhoneTask } from '../../../src/domain/phone-task.js';
import type { Actor, MessageRef } from '../../../src/domain/platform.js';

/** A fixed instant so that stored and expected objects compare equal. */
export const T0 = new Date('2026-04-01T09:00:00.000Z');

/** T0 plus `minutes`, as the ISO string the domain stores. */
export function at(minutes: number): string {
  return new Date(T0.getTime() + minutes * 60_000).toISOString();
}

export function anActor(overrides: Partial<Actor> = {}): Actor {
  return { platform: 'slack', userId: 'U0SECRETARIAT', name: '事務局 太郎', ...overrides };
}

export function anAdvisory(overrides: Partial<Advisory> = {}): Advisory {
  return {
    id: 'ADV-2026-0001',
    requestKey: 'view-0001',
    title: '【注意喚起】VPN 機器の脆弱性 (CVE-2026-0001)',
    body: 'Patch now. <!channel> must stay escaped text, not a mention.',
    source: 'nisc',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    category: 'vulnerability',
    drill: false,
    targets: { allMembers: true, observers: false, groups: ['hospitals'], members: [] },
    issuedAt: at(0),
    issuedBy: anActor(),
    ackDeadline: at(60),
    // A copy: a test that changes it must not change the defaults.
    escalation: { ...DEFAULT_POLICIES.level3 },
    state: 'open',
    ...overrides,
  };
}

export function aChannel(overrides: Partial<ChannelAddress> = {}): ChannelAddress {
  return { platform: 'slack', workspaceId: 'T0MEMBER', channelId: 'C0MEMBER', sharedOutside: false, ...overrides };
}

/** A fresh (version 0, queued) delivery, built the way the core builds one. */
export function aDelivery(
  options: { advisoryId?: string; memberId?: string; channel?: Partial<ChannelAddress> } = {},
  overrides: Partial<Delivery> = {},
): Delivery {
  const d = newDelivery(options.advisoryId ?? 'ADV-2026-0001', options.memberId ?? 'jma', aChannel(options.channel), T0);
  return { ...d, ...overrides };
}

/** The delivery one step on, as a domain transition would produce it. */
export function bumped(d: Delivery, patch: Partial<Delivery> = {}, minutes = 1): Delivery {
  return { ...d, ...patch, version: d.version + 1, updatedAt: at(minutes) };
}

/**
 * A fresh (version 0, open) phone task for the delivery `aDelivery(options)` would build, created
 * `minutes` after T0, built the way the core builds one.
 */
export function aPhoneTask(
  options: { advisoryId?: string; memberId?: string; channel?: Partial<ChannelAddress>; minutes?: number } = {},
  overrides: Partial<PhoneTask> = {},
): PhoneTask {
  const task = newPhoneTask(aDelivery(options), new Date(at(options.minutes ?? 0)));
  return { ...task, ...overrides };
}

/** The task one step on, as a domain transition would produce it. */
export function bumpedTask(t: PhoneTask, patch: Partial<PhoneTask> = {}, minutes = 1): PhoneTask {
  return { ...t, ...patch, version: t.version + 1, updatedAt: at(minutes) };
}

export function aMessage(overrides: Partial<MessageRef> = {}): MessageRef {
  return { platform: 'slack', channelId: 'C0MEMBER', messageId: '1775034000.000100', ...overrides };
}

export function anAck(overrides: Partial<Acknowledgement> = {}): Acknowledgement {
  return {
    deliveryId: aDelivery().id,
    advisoryId: 'ADV-2026-0001',
    memberId: 'jma',
    actor: anActor({ userId: 'U0MEMBER1', name: '会員 花子' }),
    at: at(5),
    via: 'button',
    ...overrides,
  };
}

export function anEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: 'evt-1',
    at: at(0),
    actor: anActor(),
    action: 'advisory.issued',
    advisoryId: 'ADV-2026-0001',
    detail: { targets: 3, nested: { drill: false, list: ['a', 'b'] } },
    ...overrides,
  };
}

/** A Teams channel the bot was added to; teamId is left out unless given. */
export function aConversation(overrides: Partial<ConversationRecord> = {}): ConversationRecord {
  return {
    platform: 'teams',
    conversationId: '19:member-general@thread.tacv2',
    tenantId: 'tenant-member',
    serviceUrl: 'https://smba.trafficmanager.net/jp/',
    kind: 'channel',
    botId: '28:ceptoar-bot',
    removed: false,
    updatedAt: at(0),
    ...overrides,
  };
}
