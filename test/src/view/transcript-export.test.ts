import { describe, expect, it } from 'vitest';
import { buildTranscript } from '../../../src/domain/transcript.js';
import { exportRows, jst } from '../../../src/view/transcript-export.js';
import { aDelivery, anActor, anAdvisory, aPhoneTask, at } from '../store/fixtures.js';
import { aReply } from '../store/archive-contract.js';

const ONCALL = anActor({ userId: 'U0ONC', name: '電話当番 A' });

describe('the export rows', () => {
  it('say who acknowledged how, whom the phone reached, the calls tried and a failure, in Japan time', () => {
    const reached = aDelivery({ memberId: 'jma', channel: { channelId: 'C-jma' } }, {
      state: 'acknowledged',
      acknowledged: { actor: ONCALL, at: at(70), via: 'phone', contact: { index: 1, name: '佐藤 健一', role: '課長' } },
      ladder: { kind: 'next-contact', index: 1, at: at(70) },
    });
    const failed = aDelivery({ memberId: 'jda', channel: { channelId: 'C-jda' } }, { state: 'failed', failure: { code: 'channel_gone', detail: 'channel_not_found', at: at(1) } });
    const task = {
      ...aPhoneTask({ memberId: 'jma', channel: { channelId: 'C-jma' } }),
      deliveryId: reached.id,
      state: 'done' as const,
      claimedBy: ONCALL,
      attempts: [{ contactIndex: 0, outcome: 'no_answer' as const, by: ONCALL, at: at(62) }],
      resolution: { kind: 'reached' as const, by: ONCALL, at: at(70) },
    };
    const t = buildTranscript({
      advisory: anAdvisory(),
      scope: 'u1',
      deliveries: [reached, failed],
      acknowledgements: [],
      phoneTasks: [task],
      threads: [aReply('ADV-2026-0001', reached.id, at(80))],
      audit: [{ id: 'p', at: at(0), action: 'delivery.posted', advisoryId: 'ADV-2026-0001', deliveryId: reached.id, detail: {} }],
      head: null,
      memberNames: { jma: { ja: '日本医師会', en: 'JMA' } },
      at: new Date(at(100)),
    });
    const [jda, jma] = exportRows(t);
    expect(jma).toMatchObject({
      member_id: 'jma',
      member_name: '日本医師会',
      state: 'acknowledged',
      posted_at: jst(at(0)),
      acknowledged_at: jst(at(70)),
      acknowledged_by: '電話当番 A (slack:U0ONC)',
      via: 'phone',
      reached_contact: '佐藤 健一 (課長)',
      last_step: `next-contact 2 ${jst(at(70))}`,
      phone_task: `done reached ${jst(at(70))}`,
      phone_claimed_by: '電話当番 A (slack:U0ONC)',
      phone_attempts: `${jst(at(62))} #1 no_answer 電話当番 A (slack:U0ONC)`,
      replies: '1',
    });
    expect(jda).toMatchObject({ member_id: 'jda', member_name: 'jda', state: 'failed', failure: `channel_gone (channel_not_found) ${jst(at(1))}`, acknowledged_by: '', replies: '0' });
    expect(jst('2026-04-01T00:00:00.000Z')).toBe('2026-04-01 09:00:00');
  });

  it('a member asked again by a follow-up: the round, the earlier round\'s outcome and calls, and who else saw this round only', () => {
    const member = anActor({ userId: 'U0JMA', name: '佐藤 健一' });
    const colleague = anActor({ userId: 'U0JMB', name: '鈴木 美咲' });
    const d = aDelivery({ memberId: 'jma', channel: { channelId: 'C-jma' } }, {
      state: 'acknowledged',
      round: 2,
      acknowledged: { actor: member, at: at(200), via: 'button' },
      earlierRounds: [{ round: 1, state: 'acknowledged', acknowledged: { actor: ONCALL, at: at(70), via: 'phone' } }],
    });
    const task = {
      ...aPhoneTask({ memberId: 'jma', channel: { channelId: 'C-jma' } }),
      deliveryId: d.id,
      round: 2,
      state: 'cancelled' as const,
      attempts: [],
      earlierRounds: [{ round: 1, state: 'done' as const, attempts: [{ contactIndex: 0, outcome: 'no_answer' as const, by: ONCALL, at: at(62) }] }],
    };
    const ack = (actor: typeof member, minute: number, round?: number) => ({ deliveryId: d.id, advisoryId: 'ADV-2026-0001', memberId: 'jma', actor, at: at(minute), via: 'button' as const, ...(round ? { round } : {}) });
    const t = buildTranscript({
      advisory: anAdvisory(),
      scope: 'u1',
      deliveries: [d],
      acknowledgements: [ack(colleague, 65), ack(member, 200, 2), ack(colleague, 210, 2)],
      phoneTasks: [task],
      threads: [],
      audit: [],
      head: null,
      memberNames: {},
      at: new Date(at(300)),
    });
    expect(exportRows(t)[0]).toMatchObject({
      round: '2',
      acknowledged_by: '佐藤 健一 (slack:U0JMA)',
      also_seen_by: `鈴木 美咲 (slack:U0JMB) ${jst(at(210))}`,
      earlier_rounds: `1: ${jst(at(70))} 電話当番 A (slack:U0ONC) phone`,
      phone_attempts: `[r1] ${jst(at(62))} #1 no_answer 電話当番 A (slack:U0ONC)`,
    });
  });
});
