/**
 * Grouped alerts on Microsoft Teams, end to end: the real endpoints, real BullMQ delayed jobs on Redis, the fake
 * Slack and the fake Bot Connector. The sector is the large directory's 50 members with the secretariat's channel
 * on Teams (its only one) and 横浜市 on Teams too; everyone else is on Slack. Every member stays silent to the end
 * of a ladder measured in seconds, and the secretariat's Teams channel gets one alert card for the wave (posted
 * once, then edited in place with updateActivity as members join), not 50. 横浜市 then acknowledges with the
 * card's Action.Execute button on Teams, and the same card (same activity id) shows it resolved; no second alert
 * card is posted.
 *
 * Teams keeps no message metadata, so the notice's key (`<advisoryId>.alerts.escalation.w1`) is not in the activity
 * (TeamsChat.post does not send it): the card is told by its heading and advisory id, and the wave it belongs to
 * (escalation, wave 1, this very activity) is read from the advisory's record in the store.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_ACK_VERB } from '../../../adapters/teams/card-elements.js';
import type { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import { formValues, VALID_FORM } from '../../support/advisory-form.js';
import type { Harness } from '../../support/bot-harness.js';
import { baseConversationId, type RecordedConnectorCall, type StoredActivity } from '../../support/fake-bot-connector.js';
import { FAST_POLICIES } from '../../support/fast-policies.js';
import { largeDirectory } from '../../support/large-directory.js';
import { TEAMS, TEAMS_SECRETARIAT, TENANT } from '../../support/mixed-directory.js';
import type { QueueWatch } from '../../support/queue-watch.js';
import { adaptiveCardOf, answeredCard, executes } from '../../support/teams-activities.js';
import { startTeamsE2e, type TeamsE2e } from '../../support/teams-e2e.js';
import { markdownTexts, unescapeCardText } from './card-helpers.js';

const MEMBERS = 50;
const SECRETARIAT_CHANNEL = TEAMS.secretariat.channel;
/** 横浜市 (lg-0001 in the large directory), moved to a Teams channel of its own team. */
const YOKOHAMA = { team: '19:team-yokohama@thread.tacv2', channel: '19:yokohama-advisories@thread.tacv2' };
const YOKOHAMA_STAFF = { id: '29:yokohama', aadObjectId: 'aad-00000000-0000-0000-0000-0000yokohama', name: '横浜 担当' };
const ALERT_HEADING_JA = '受領確認のない構成員';

interface LargeDirectory {
  secretariat: { users: unknown[]; channels: unknown[] };
  organisations: { id: string; name: { ja: string; en: string }; channels: unknown[]; contacts: { chat?: Record<string, string> }[] }[];
}

/** The large directory, the secretariat's channel on Teams instead of Slack, and 横浜市 on Teams. */
function directory(): LargeDirectory {
  const d = largeDirectory(MEMBERS) as LargeDirectory;
  d.secretariat.users.push({ platform: 'teams', userId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' });
  d.secretariat.channels = [{ platform: 'teams', workspace: TENANT, team: TEAMS.secretariat.team, id: SECRETARIAT_CHANNEL }];
  const yokohama = d.organisations[0]!;
  yokohama.channels = [{ platform: 'teams', workspace: TENANT, team: YOKOHAMA.team, id: YOKOHAMA.channel, sharedOutside: false }];
  yokohama.contacts = yokohama.contacts.map((c) => ({ ...c, chat: { teams: YOKOHAMA_STAFF.aadObjectId } }));
  return d;
}

let e2e: TeamsE2e;
let h: Harness;
let queues: QueueWatch;
let store: SqliteStore;
let names: string[];
beforeAll(async () => {
  // Installed in the secretariat's team (startTeamsE2e); its service URL reaches every team of the tenant (横浜市's too).
  e2e = await startTeamsE2e({
    env: async (dir) => {
      const d = directory();
      names = d.organisations.map((o) => `${o.name.ja} / ${o.name.en}`);
      const membersFile = join(dir, 'members.yaml');
      await writeFile(membersFile, stringify(d));
      const policies = join(dir, 'escalation.yaml');
      await writeFile(policies, FAST_POLICIES);
      return { MEMBERS_FILE: membersFile, ESCALATION_FILE: policies, STATUS_CARD_INTERVAL_SECONDS: '1', DELIVERY_RATE_PER_SECOND: '100' };
    },
  });
  ({ h, queues, store } = e2e);
});
afterAll(() => e2e?.close());

/** The card's Markdown texts as a reader sees them, one entry per line. */
const lines = (card: unknown): string[] => markdownTexts(card).flatMap((t) => unescapeCardText(t).split('\n'));
const textOf = (card: unknown): string => lines(card).join('\n');
/** Member lines of a grouped alert: one per member, each starting with its mark and the name in bold. */
const memberLines = (card: unknown): string[] => lines(card).filter((l) => /^(⏳|✅|⚠️) \*\*/.test(l));
const nameOf = (row: string): string => /^\S+ \*\*(.+?)\*\* — /.exec(row)?.[1] ?? `(no name in ${row})`;

const CREATES = new Set(['sendToConversation', 'replyToActivity', 'createConversation']);
/** What the bot asked the connector to create in the secretariat channel (whatever the answer). */
const createdInSecretariat = (): RecordedConnectorCall[] =>
  h.connector!.calls.filter((c) => CREATES.has(c.operation) && c.conversationId !== undefined && baseConversationId(c.conversationId) === SECRETARIAT_CHANNEL);
const cardOfCall = (c: RecordedConnectorCall): unknown => adaptiveCardOf(c.body);

describe('grouped alerts on Teams, for 50 silent members', () => {
  it('arrive as one card in the secretariat channel, edited in place, which shows a member who acknowledges afterwards on Teams', async () => {
    const title = 'Teams グループ化通知のテスト';
    const submitted = await h.slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VTGROUPED1', values: formValues({ ...VALID_FORM, title }) });
    expect(submitted.sent?.status).toBe(200);
    // The "issued" notice is a card in the secretariat's Teams channel (its only channel): it gives the advisory id.
    const issued = await h.connector!.waitFor(
      () => h.connector!.activities(SECRETARIAT_CHANNEL).find((a) => textOf(adaptiveCardOf(a)).includes(title) && /ADV-\d{4}-\d{4}/.test(textOf(adaptiveCardOf(a)))),
      { timeoutMs: 20_000, description: 'the issued card on Teams' },
    );
    const advisoryId = /ADV-\d{4}-\d{4}/.exec(textOf(adaptiveCardOf(issued)))![0];
    const isAlertCard = (card: unknown): boolean => {
      const t = textOf(card);
      return t.includes(advisoryId) && t.includes(ALERT_HEADING_JA);
    };
    const alertCards = (): StoredActivity[] => h.connector!.activities(SECRETARIAT_CHANNEL).filter((a) => isAlertCard(adaptiveCardOf(a)));
    const alertCreates = (): RecordedConnectorCall[] => createdInSecretariat().filter((c) => isAlertCard(cardOfCall(c)));

    // Every member reaches the end of the ladder; the one card ends up naming all fifty.
    const grouped = await h.connector!.waitFor(() => alertCards().find((a) => memberLines(adaptiveCardOf(a)).length === MEMBERS), {
      timeoutMs: 60_000,
      description: `one alert card naming ${MEMBERS} members`,
    });
    await queues.waitIdle({ timeoutMs: 30_000, description: 'ladder and alert updates finished' });

    // Posted once, then edited in place (the opener posts at once; the others join by updates).
    expect(alertCreates()).toHaveLength(1);
    expect(alertCards()).toHaveLength(1);
    expect(alertCards()[0]!.id).toBe(grouped.id);
    const editsOf = (id: string) => h.connector!.callsTo('updateActivity').filter((c) => c.activityId === id && baseConversationId(c.conversationId ?? '') === SECRETARIAT_CHANNEL);
    expect(editsOf(grouped.id).length).toBeGreaterThanOrEqual(1);
    // Not one alert per member: no single-member escalation notice for this advisory either.
    expect(h.connector!.activities(SECRETARIAT_CHANNEL).filter((a) => textOf(adaptiveCardOf(a)).includes(advisoryId) && textOf(adaptiveCardOf(a)).includes('エスカレーション後も受領確認がありません'))).toEqual([]);
    // The secretariat has no Slack channel here: nothing about the alert went to Slack.
    expect(h.fake.callsTo('chat.postMessage').filter((c) => JSON.stringify(c.params).includes(ALERT_HEADING_JA))).toEqual([]);
    // The wave's record: escalation wave 1 (key `${advisoryId}.alerts.escalation.w1`), its message this very card.
    const waves = (await store.getAdvisory(advisoryId))?.alertWaves;
    expect(waves).toEqual([expect.objectContaining({ kind: 'escalation', n: 1, messages: [{ platform: 'teams', channelId: SECRETARIAT_CHANNEL, messageId: grouped.id }] })]);

    const now = adaptiveCardOf(alertCards()[0]!);
    const text = lines(now);
    expect(text).toContain(`⚠ 受領確認のない構成員 ${MEMBERS}名（第1波） / ⚠ ${MEMBERS} members without acknowledgement (wave 1)`);
    expect(text).toContain(`📊 **解決 0/${MEMBERS} / resolved 0 of ${MEMBERS}**`);
    expect(textOf(now)).toContain(title);
    const rows = memberLines(now);
    expect(rows).toHaveLength(MEMBERS);
    expect(rows.map(nameOf).sort()).toEqual([...names].sort());
    expect(rows.every((r) => r.startsWith('⏳ ') && r.includes('未確認 / Not acknowledged'))).toBe(true);
    expect(textOf(now)).not.toContain('ほか');
    expect(alertCards()[0]!.summary).toContain(advisoryId);

    // 横浜市 acknowledges on Teams, with the button of the advisory's card in its channel.
    const copy = h.connector!.activities(YOKOHAMA.channel).find(
      (a) => a.conversationId === YOKOHAMA.channel && executes(adaptiveCardOf(a)).some((x) => x.verb === ADVISORY_ACK_VERB && String(x.data['deliveryId']).startsWith(`${advisoryId}.`)),
    );
    expect(copy).toBeDefined();
    const ack = executes(adaptiveCardOf(copy!)).find((x) => x.verb === ADVISORY_ACK_VERB)!;
    const before = { creates: alertCreates().length, edits: editsOf(grouped.id).length };
    const pressed = await h.teams!.execute(`${YOKOHAMA.channel};messageid=${copy!.id}`, YOKOHAMA_STAFF, ADVISORY_ACK_VERB, ack.data, copy!.id, YOKOHAMA.team);
    expect(pressed.status).toBe(200);
    // The invoke's answer is the member's card as it is now: acknowledged, no button left.
    expect(executes(answeredCard(pressed.body)).some((x) => x.verb === ADVISORY_ACK_VERB)).toBe(false);

    const resolved = await h.connector!.waitFor(
      () => alertCards().find((a) => lines(adaptiveCardOf(a)).includes(`📊 **解決 1/${MEMBERS} / resolved 1 of ${MEMBERS}**`)),
      { timeoutMs: 20_000, description: 'the alert card shows 横浜市 resolved' },
    );
    await queues.waitIdle({ timeoutMs: 30_000, description: 'the alert card update finished' });

    expect(resolved.id).toBe(grouped.id);
    expect(editsOf(grouped.id).length).toBeGreaterThan(before.edits);
    expect(alertCreates()).toHaveLength(before.creates);
    expect(alertCreates()).toHaveLength(1);
    expect(alertCards()).toHaveLength(1);
    const after = adaptiveCardOf(alertCards()[0]!);
    expect(lines(after)).toContain(`⚠ 受領確認のない構成員 ${MEMBERS}名（第1波） / ⚠ ${MEMBERS} members without acknowledgement (wave 1)`);
    const rowsAfter = memberLines(after);
    expect(rowsAfter).toHaveLength(MEMBERS);
    expect(new Set(rowsAfter.map(nameOf)).size).toBe(MEMBERS);
    const yokohama = rowsAfter.filter((r) => nameOf(r) === '横浜市 / Yokohama City');
    expect(yokohama).toHaveLength(1);
    expect(yokohama[0]!.startsWith('✅ **横浜市 / Yokohama City** — 横浜 担当 が ')).toBe(true);
    expect(yokohama[0]).toContain('に受領確認（ボタン） / acknowledged by 横浜 担当 at ');
    // The resolved member goes after the silent ones, who are all still waiting.
    expect(rowsAfter.at(-1)).toBe(yokohama[0]);
    expect(rowsAfter.slice(0, -1).every((r) => r.startsWith('⏳ ') && r.includes('未確認 / Not acknowledged'))).toBe(true);
  }, 120_000);
});
