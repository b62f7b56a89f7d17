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
});
