/**
 * A drill whose presses and phone outcomes are known, as a transcript: ten members of a level-3 advisory issued at
 * T0 (ackDeadline T0 + 60 min; the level-3 ladder: reminder at 40 min, phone at 60, next contact every 20, alert at
 * most 2 h after the deadline). Shared by the reach report's domain, view, command and CLI tests.
 *
 *   m01 button  5 min                             before the reminder
 *   m02 button 10 min                             before the reminder
 *   m03 button 30 min                             before the reminder
 *   m04 reminder 40, button 45 min                after the reminder
 *   m05 reminder 40, button 55 min                after the reminder
 *   m06 reminder 40, phone 60, phone 70 min       by phone, contact #2 佐藤 健一 (on the acknowledgement)
 *   m07 reminder 40, phone 60, button 65 min      after the phone step
 *   m08 failed channel_not_found at 1, phone 1, phone 20 min  by phone, contact #1 山田 花子 (only on the task)
 *   m09 reminder 40, phone 60, alert 100          never
 *   m10 failed TLP_SHARED_CHANNEL at 1, phone 1, alert 90      never
 *
 * Acknowledged 8 of 10 at 300, 600, 1200, 1800, 2700, 3300, 3900 and 4200 s: median 2,250 s, p90 3,990 s.
 */
import type { AckMark, Delivery } from '../../../src/domain/delivery.js';
import type { AuditEvent } from '../../../src/domain/audit.js';
import type { PhoneTask } from '../../../src/domain/phone-task.js';
import { buildTranscript, type Transcript } from '../../../src/domain/transcript.js';
import type { Advisory } from '../../../src/domain/advisory.js';
import { aDelivery, anActor, anAdvisory, aPhoneTask, at } from '../store/fixtures.js';

export const CALLER = anActor({ userId: 'U0ONC', name: '電話当番 A' });
const MEMBER = anActor({ userId: 'U0MEM', name: '会員 花子' });

export interface MemberPlan {
  id: string;
  /** Minutes after issue each step ran for this member (its escalation event). */
  steps?: { reminder?: number; phone?: number; alert?: number; outcome?: string };
  ack?: { minutes: number; via: 'button' | 'phone'; contact?: { index: number; name: string } };
  failed?: { code: string; minutes: number; detail?: string };
  /** The phone task's resolution names this contact (older acknowledgements by phone do not). */
  taskContact?: { index: number; name: string };
}

export const DRILL_PLAN: MemberPlan[] = [
  { id: 'm01', ack: { minutes: 5, via: 'button' } },
  { id: 'm02', ack: { minutes: 10, via: 'button' } },
  { id: 'm03', ack: { minutes: 30, via: 'button' } },
  { id: 'm04', steps: { reminder: 40 }, ack: { minutes: 45, via: 'button' } },
  { id: 'm05', steps: { reminder: 40 }, ack: { minutes: 55, via: 'button' } },
  { id: 'm06', steps: { reminder: 40, phone: 60 }, ack: { minutes: 70, via: 'phone', contact: { index: 1, name: '佐藤 健一' } } },
  { id: 'm07', steps: { reminder: 40, phone: 60 }, ack: { minutes: 65, via: 'button' } },
  { id: 'm08', failed: { code: 'channel_not_found', minutes: 1 }, steps: { phone: 1 }, ack: { minutes: 20, via: 'phone' }, taskContact: { index: 0, name: '山田 花子' } },
  { id: 'm09', steps: { reminder: 40, phone: 60, alert: 100 } },
  { id: 'm10', failed: { code: 'TLP_SHARED_CHANNEL', minutes: 1, detail: 'shared with another organisation' }, steps: { phone: 1, alert: 90 } },
];

export function deliveryOf(advisoryId: string, p: MemberPlan): Delivery {
  const d = aDelivery({ advisoryId, memberId: p.id, channel: { channelId: `C-${p.id}` } });
  const ack: AckMark | undefined = p.ack
    ? { actor: p.ack.via === 'phone' ? CALLER : MEMBER, at: at(p.ack.minutes), via: p.ack.via, ...(p.ack.contact ? { contact: p.ack.contact } : {}) }
    : undefined;
  return {
    ...d,
    state: ack ? 'acknowledged' : p.failed ? 'failed' : 'posted',
    ...(ack ? { acknowledged: ack } : {}),
    ...(p.failed ? { failure: { code: p.failed.code, at: at(p.failed.minutes), ...(p.failed.detail ? { detail: p.failed.detail } : {}) } } : {}),
  };
}

export function stepEvents(d: Delivery, p: MemberPlan): AuditEvent[] {
  const kinds = ['reminder', 'phone', 'alert'] as const;
  return kinds.flatMap((kind) => {
    const minutes = p.steps?.[kind];
    if (minutes === undefined) return [];
    const detail = { step: kind, outcome: p.steps?.outcome ?? 'ran' };
    return [{ id: `${d.id}.esc.${kind}`, at: at(minutes), action: `escalation.${kind}` as const, advisoryId: d.advisoryId, deliveryId: d.id, detail }];
  });
}

function taskOf(d: Delivery, p: MemberPlan): PhoneTask[] {
  if (p.steps?.phone === undefined) return [];
  const task = aPhoneTask({ advisoryId: d.advisoryId, memberId: p.id, channel: { channelId: `C-${p.id}` }, minutes: p.steps.phone });
  const reached = p.ack?.via === 'phone';
  return [
    {
      ...task,
      deliveryId: d.id,
      state: reached ? 'done' : 'open',
      ...(reached ? { resolution: { kind: 'reached' as const, by: CALLER, at: at(p.ack!.minutes), ...(p.taskContact ? { contact: { ...p.taskContact } } : {}) } } : {}),
    },
  ];
}

/** The transcript of `plan` (DRILL_PLAN unless given) for an advisory like anAdvisory() with `advisory` over it. */
export function drillTranscript(options: { plan?: MemberPlan[]; advisory?: Partial<Advisory>; archivedMinutes?: number } = {}): Transcript {
  const plan = options.plan ?? DRILL_PLAN;
  const advisory = anAdvisory({ drill: true, closure: { cause: 'command', at: at(120) }, state: 'closed', ...options.advisory });
  const deliveries = plan.map((p) => deliveryOf(advisory.id, p));
  return buildTranscript({
    advisory,
    scope: 'u-reach',
    deliveries,
    acknowledgements: [],
    phoneTasks: plan.flatMap((p, i) => taskOf(deliveries[i]!, p)),
    threads: [],
    audit: plan.flatMap((p, i) => stepEvents(deliveries[i]!, p)),
    head: null,
    memberNames: Object.fromEntries(plan.map((p) => [p.id, { ja: `会員${p.id}`, en: `Member ${p.id}` }])),
    at: new Date(at(options.archivedMinutes ?? 121)),
  });
}
