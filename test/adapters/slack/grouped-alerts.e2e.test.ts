/**
 * Grouped alerts through the real endpoint, real BullMQ delayed jobs on Redis and a fake Slack: 50 members stay
 * silent to the end of a ladder measured in seconds, and the secretariat gets one message for them all (posted
 * once, edited in place as they join), not 50; a member who then acknowledges is shown resolved in that message.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { POST_EVENT_TYPE } from '../../../adapters/slack/slack-blocks.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM } from '../../support/advisory-form.js';
import type { StoredMessage } from '../../support/fake-slack.js';
import { FAST_POLICIES } from '../../support/fast-policies.js';
import { writeLargeDirectory } from '../../support/large-directory.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';
import { sectionLines } from '../../support/slack-read.js';

const MEMBERS = 50;
const SECRETARIAT_CHANNEL = 'C0SEC00001';

let h: Harness;
let dir: string;
let queues: QueueWatch;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-grouped-'));
  const membersFile = await writeLargeDirectory(join(dir, 'members.yaml'), MEMBERS);
  const policies = join(dir, 'escalation.yaml');
  await writeFile(policies, FAST_POLICIES);
  h = await startHarness({ env: { MEMBERS_FILE: membersFile, ESCALATION_FILE: policies, STATUS_CARD_INTERVAL_SECONDS: '1', DELIVERY_RATE_PER_SECOND: '100' } });
  queues = watchQueues(REDIS_URL, h.prefix);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

const payload = (m: { metadata?: StoredMessage['metadata'] }) => m.metadata?.event_payload ?? {};
const keyOf = (m: StoredMessage) => String(payload(m)['key'] ?? '');
const kindOf = (m: StoredMessage) => String(payload(m)['kind'] ?? '');
/** Member lines of the alert: one per member, each starting with its mark and the name in bold. */
const memberLines = (m: StoredMessage) => sectionLines(m.blocks).filter((l) => /^(⏳|✅|⚠️) \*/.test(l));

describe('alerts for 50 silent members', () => {
  it('arrive as one grouped message, edited in place, and show a member who acknowledges afterwards', async () => {
    const title = 'グループ化された通知のテスト';
    await h.slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VGROUPED1', values: formValues({ ...VALID_FORM, title }) });
    const issued = await h.fake.waitFor(() => h.fake.messages(SECRETARIAT_CHANNEL).find((x) => x.text.includes(title) && /ADV-\d{4}-\d{4}/.test(x.text)), { timeoutMs: 15_000 });
    const advisoryId = /ADV-\d{4}-\d{4}/.exec(issued.text)![0];
    const alerts = () => h.fake.messages(SECRETARIAT_CHANNEL).filter((m) => kindOf(m) === 'notice' && keyOf(m).startsWith(`${advisoryId}.alerts.`));

    // Every member reaches the end of the ladder; the one message ends up naming all fifty.
    const grouped = await h.fake.waitFor(() => alerts().find((m) => memberLines(m).length === MEMBERS), {
      timeoutMs: 60_000,
      description: `one alert naming ${MEMBERS} members`,
    });
    await queues.waitIdle({ timeoutMs: 30_000, description: 'ladder and alert updates finished' });

    expect(alerts()).toHaveLength(1);
    expect(keyOf(grouped)).toBe(`${advisoryId}.alerts.escalation.w1`);
    const posted = h.fake
      .callsTo('chat.postMessage')
      .filter((c) => c.params['channel'] === SECRETARIAT_CHANNEL && String((c.params['metadata'] as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '').startsWith(`${advisoryId}.alerts.`));
    expect(posted).toHaveLength(1);
    expect(grouped.metadata?.event_type).toBe(POST_EVENT_TYPE);

    const now = alerts()[0]!;
    const lines = sectionLines(now.blocks);
    expect(lines).toContain('*⚠ 受領確認のない構成員 50名（第1波）*');
    expect(lines).toContain('*⚠ 50 members without acknowledgement (wave 1)*');
    expect(lines).toContain('📊 *解決 0/50 / resolved 0 of 50*');
    const rows = memberLines(now);
    expect(rows).toHaveLength(MEMBERS);
    expect(new Set(rows.map((r) => /\*([^*]+)\*/.exec(r)![1])).size).toBe(MEMBERS);
    expect(rows.every((r) => r.startsWith('⏳ ') && r.includes('未確認 / Not acknowledged'))).toBe(true);
    expect(JSON.stringify(now.blocks)).not.toContain('ほか');
    expect(now.text).toContain(advisoryId);

    // 横浜市 acknowledges after the alert: the same message shows it resolved, and no new one is posted.
    const copy = h.fake.messages('C0LG0001').find((m) => kindOf(m) === 'advisory' && payload(m)['advisory_id'] === advisoryId);
    expect(copy).toBeDefined();
    await h.slack.buttonPress({ userId: 'U0LG0001', userName: 'lg-staff', channelId: 'C0LG0001', messageTs: copy!.ts, actionId: ACK_ACTION_ID, value: keyOf(copy!), responseUrl: h.fake.responseUrl('grouped-ack') });
    const resolved = await h.fake.waitFor(() => alerts().find((m) => sectionLines(m.blocks).includes('📊 *解決 1/50 / resolved 1 of 50*')), {
      timeoutMs: 20_000,
      description: 'the alert shows 横浜市 resolved',
    });
    const yokohama = memberLines(resolved).filter((r) => r.includes('横浜市'));
    expect(yokohama).toHaveLength(1);
    expect(yokohama[0]!.startsWith('✅ *横浜市 / Yokohama City* — ')).toBe(true);
    expect(yokohama[0]).toContain('（ボタン） / acknowledged by');
    // The resolved member goes after the silent ones.
    expect(memberLines(resolved).at(-1)).toBe(yokohama[0]);
    expect(alerts()).toHaveLength(1);
    expect(resolved.ts).toBe(grouped.ts);
  }, 120_000);
});
