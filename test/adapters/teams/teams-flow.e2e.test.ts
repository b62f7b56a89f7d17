/**
 * Teams end to end through the real /api/messages endpoint (botbuilder CloudAdapter + teams-ai),
 * with every outgoing call landing on a fake Bot Connector on loopback, and Slack members on the
 * fake Slack at the same time: install, dialog, advisory card, Action.Execute acknowledgement,
 * forgery, 429, escalation with a Teams on-call channel.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/bot-harness.js';
import { eventually } from '../../support/eventually.js';
import type { StoredActivity } from '../../support/fake-bot-connector.js';
import { writeFastPolicies } from '../../support/fast-policies.js';
import { TEAMS, TEAMS_JDA_CONTACT, TEAMS_ONCALL, TEAMS_SECRETARIAT } from '../../support/mixed-directory.js';

const SECRETARIAT = { id: '29:sec', aadObjectId: TEAMS_SECRETARIAT, name: '事務局 Teams 担当' };
const ONCALL = { id: '29:onc', aadObjectId: TEAMS_ONCALL, name: '電話当番 Teams' };
const JDA_STAFF = { id: '29:jda', aadObjectId: TEAMS_JDA_CONTACT, name: '歯科 担当' };
const JPA_STAFF = { id: '29:jpa', aadObjectId: 'aad-jpa-staff', name: '薬剤 担当' };

let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-teams-'));
  h = await startHarness({ teams: true, env: { ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')) } });
  // The bot is installed in the secretariat's team; its service URL reaches every team of the tenant.
  const res = await h.teams!.install(TEAMS.secretariat.team, TEAMS.secretariat.team);
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Every Action.Execute in a card, with its verb and data. */
function executes(node: unknown, out: { verb: string; data: Record<string, unknown> }[] = []) {
  if (Array.isArray(node)) node.forEach((n) => executes(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (o['type'] === 'Action.Execute' && typeof o['verb'] === 'string') out.push({ verb: o['verb'], data: (o['data'] ?? {}) as Record<string, unknown> });
    Object.values(o).forEach((v) => executes(v, out));
  }
  return out;
}
const card = (a: StoredActivity) => a.attachments?.find((x) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
const cardsIn = (conversationId: string, marker: string) => h.connector!.activities(conversationId).filter((a) => JSON.stringify(card(a) ?? {}).includes(marker));

async function issueFromTeams(form: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  return h.teams!.invoke(TEAMS.secretariat.channel, SECRETARIAT, 'task/submit', { data: { verb: 'advisory_issue', ...form } }, { team: TEAMS.secretariat.team });
}

const FORM = {
  title: 'Teams 混在配信',
  body: '**太字** と [リンク](https://evil.example) と <at>everyone</at>',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  source: 'nisc',
  targets: 'all_members',
  ack_deadline: 'default',
  drill: 'false',
};

describe('Teams', () => {
  it('records the installation', async () => {
    const record = await h.bot.core.findConversation('teams', TEAMS.secretariat.team);
    expect(record).toMatchObject({ platform: 'teams', serviceUrl: h.connector!.serviceUrl, teamId: TEAMS.secretariat.team, removed: false });
  });

  it('refuses the form to a non-secretariat user and offers it to the secretariat', async () => {
    const refused = await h.teams!.invoke(TEAMS.jda.channel, JDA_STAFF, 'task/fetch', { data: { verb: 'advisory_form' } }, { team: TEAMS.jda.team });
    expect(JSON.stringify(refused.body)).toContain('事務局のみ');
    const offered = await h.teams!.invoke(TEAMS.secretariat.channel, SECRETARIAT, 'task/fetch', { data: { verb: 'advisory_form' } }, { team: TEAMS.secretariat.team });
    expect(offered.status).toBe(200);
    const text = JSON.stringify(offered.body);
    expect(text).toContain('application/vnd.microsoft.card.adaptive');
    expect(text).toContain('公益社団法人 日本医師会');
  });

  it('searches organisations as the secretariat types (large sectors), and nobody else', async () => {
    const search = (who: typeof SECRETARIAT) =>
      h.teams!.invoke(TEAMS.secretariat.channel, who, 'application/search', { queryText: '日本医', dataset: 'ceptoar.organisations' }, { team: TEAMS.secretariat.team });
    const found = (await search(SECRETARIAT)).body as { value: { results: { value: string }[] } };
    expect(found.value.results.map((r) => r.value)).toContain('jma');
    const refused = (await search(JDA_STAFF)).body as { value: { results: unknown[] } };
    expect(refused.value.results).toEqual([]);
  });

  it('returns the form with every error when the submission is invalid', async () => {
    const res = await issueFromTeams({ ...FORM, title: '', tlp: '', targets: '' });
    const text = JSON.stringify(res.body);
    expect(text).toContain('application/vnd.microsoft.card.adaptive'); // the form again
    expect(h.connector!.callsTo('replyToActivity').filter((c) => JSON.stringify(c.body).includes('Teams 混在配信'))).toHaveLength(0);
  });

  it('reaches Slack and Teams members with one advisory, and a Teams press acknowledges once', async () => {
    const res = await issueFromTeams(FORM);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toMatch(/ADV-\d{4}-\d{4}/);
    const [jda] = await h.connector!.waitFor(() => cardsIn(TEAMS.jda.channel, 'Teams 混在配信').length > 0 && cardsIn(TEAMS.jda.channel, 'Teams 混在配信'), { timeoutMs: 15_000, description: 'card in JDA channel' });
    await h.connector!.waitFor(() => cardsIn(TEAMS.jpa.channel, 'Teams 混在配信').length > 0);
    await h.fake.waitFor(() => h.fake.messages('C0JMA00001').some((m) => m.text.includes('Teams 混在配信')), { timeoutMs: 15_000 });
    // User text cannot become a link, emphasis or a mention in the card.
    const content = JSON.stringify(card(jda!));
    expect(content).not.toContain('[リンク](https://evil.example)');
    expect(content).not.toMatch(/<at>everyone<\/at>/);

    const ack = executes(card(jda!)).find((e) => e.verb === 'advisory_ack')!;
    const press = (who: typeof JDA_STAFF) =>
      h.teams!.execute(`${TEAMS.jda.channel};messageid=${jda!.id}`, who, 'advisory_ack', ack.data, jda!.id, TEAMS.jda.team);
    const first = await press(JDA_STAFF);
    expect(first.status).toBe(200);
    // The invoke's answer is the card as it is now: acknowledged, no button.
    expect(JSON.stringify(first.body)).toContain('歯科 担当');
    expect(executes((first.body as { value?: unknown }).value).some((e) => e.verb === 'advisory_ack')).toBe(false);
    const again = await press(JDA_STAFF);
    expect(again.status).toBe(200);

    const advisoryId = /ADV-\d{4}-\d{4}/.exec(JSON.stringify(res.body))![0];
    const status = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
    expect(status.rows.find((r) => r.memberId === 'jda')).toMatchObject({ state: 'acknowledged', acknowledgedBy: '歯科 担当', via: 'button' });
    expect(status.counts.acknowledged).toBe(1);
    // The card is updated for everyone by the refresh job (PUT on the connector).
    await h.connector!.waitFor((calls) => calls.some((c) => c.operation === 'updateActivity' && c.activityId === jda!.id));
  });

  it("refuses a press that claims another conversation's delivery", async () => {
    const [jpa] = cardsIn(TEAMS.jpa.channel, 'Teams 混在配信');
    const jpaAck = executes(card(jpa!)).find((e) => e.verb === 'advisory_ack')!;
    // From JDA's channel, pointing at JPA's message and delivery: nothing in JDA's channel matches.
    const forged = await h.teams!.execute(`${TEAMS.jda.channel};messageid=${jpa!.id}`, JDA_STAFF, 'advisory_ack', jpaAck.data, jpa!.id, TEAMS.jda.team);
    expect(JSON.stringify(forged.body)).toContain('配信が見つかりません');
    const advisoryId = String(jpaAck.data['deliveryId']).split('.')[0]!;
    const status = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
    expect(status.rows.find((r) => r.memberId === 'jpa')?.state).not.toBe('acknowledged');
  });

  it('holds back only the throttled conversation on a 429', async () => {
    h.connector!.failNext({ conversationId: TEAMS.jpa.channel, status: 429, retryAfterSec: 1 });
    const res = await issueFromTeams({ ...FORM, title: 'Teams 429', targets: '', target_organisations: 'jda,jpa,jma' });
    expect(res.status).toBe(200);
    await h.connector!.waitFor(() => cardsIn(TEAMS.jpa.channel, 'Teams 429').length === 1, { timeoutMs: 15_000, description: 'JPA posted after its wait' });
    expect(cardsIn(TEAMS.jda.channel, 'Teams 429')).toHaveLength(1);
    const jpaCalls = h.connector!.calls.filter((c) => c.conversationId === TEAMS.jpa.channel && JSON.stringify(c.body).includes('Teams 429'));
    expect(jpaCalls.map((c) => (c.outcome === 'dropped' ? 'dropped' : c.outcome?.status))).toEqual([429, 200]);
    const jdaCall = h.connector!.calls.find((c) => c.conversationId === TEAMS.jda.channel && JSON.stringify(c.body).includes('Teams 429'))!;
    expect(jdaCall.seq).toBeLessThan(jpaCalls[1]!.seq);
  });

  it('escalates into the Teams on-call channel, where on-call staff claim and reach the member', async () => {
    const res = await issueFromTeams({ ...FORM, title: 'Teams 電話', targets: '', target_organisations: 'jpa' });
    const advisoryId = /ADV-\d{4}-\d{4}/.exec(JSON.stringify(res.body))![0];
    const [task] = await h.connector!.waitFor(() => cardsIn(TEAMS.oncall.channel, 'Teams 電話').length > 0 && cardsIn(TEAMS.oncall.channel, 'Teams 電話'), {
      timeoutMs: 20_000,
      description: 'phone task in the Teams on-call channel',
    });
    const claim = executes(card(task!)).find((e) => e.verb === 'phone_claim')!;
    const claimed = await h.teams!.execute(`${TEAMS.oncall.channel};messageid=${task!.id}`, ONCALL, 'phone_claim', claim.data, task!.id, TEAMS.oncall.team);
    expect(JSON.stringify(claimed.body)).toContain('電話当番 Teams');
    const outsider = await h.teams!.execute(`${TEAMS.oncall.channel};messageid=${task!.id}`, JPA_STAFF, 'phone_claim', claim.data, task!.id, TEAMS.oncall.team);
    expect(JSON.stringify(outsider.body)).toContain('電話当番または事務局のみ');
    const reached = await h.teams!.execute(`${TEAMS.oncall.channel};messageid=${task!.id}`, ONCALL, 'phone_reached', claim.data, task!.id, TEAMS.oncall.team);
    expect(reached.status).toBe(200);
    const status = await eventually(async () => {
      const s = await h.bot.core.statusOf({ platform: 'teams', userId: TEAMS_SECRETARIAT }, advisoryId);
      return s.counts.acknowledged === 1 && s;
    });
    expect(status.rows[0]).toMatchObject({ via: 'phone', acknowledgedBy: '電話当番 Teams' });
  });

  it('answers `advisory status` and `advisory oncall` typed to the bot', async () => {
    await h.teams!.message(TEAMS.secretariat.channel, SECRETARIAT, '<at>CEPTOAR Bot</at> advisory oncall', TEAMS.secretariat.team);
    await h.connector!.waitFor((calls) => calls.some((c) => c.conversationId?.startsWith(TEAMS.secretariat.channel) && JSON.stringify(c.body).includes('application/vnd.microsoft.card.adaptive')));
    await h.teams!.message(TEAMS.jda.channel, JDA_STAFF, 'advisory status ADV-2026-0001', TEAMS.jda.team);
    await h.connector!.waitFor((calls) => calls.some((c) => c.conversationId?.startsWith(TEAMS.jda.channel) && JSON.stringify(c.body).includes('事務局のみ')));
  });

  it('updates a TLP:RED 1:1 card after a restart: the chat it opened was kept in the store', async () => {
    const res = await issueFromTeams({ ...FORM, title: 'Teams 個別送信', tlp: 'TLP:RED' });
    expect(res.status).toBe(200);
    const dmPost = await h.connector!.waitFor(
      (calls) => calls.find((c) => c.conversationId?.startsWith('a:') && JSON.stringify(c.body ?? {}).includes('Teams 個別送信')),
      { timeoutMs: 15_000, description: 'the 1:1 card' },
    );
    const dm = dmPost.conversationId!;
    const [dmCard] = cardsIn(dm, 'Teams 個別送信');
    const ack = executes(card(dmCard!)).find((e) => e.verb === 'advisory_ack')!;

    await h.restart();
    const answer = await h.teams!.execute(dm, JDA_STAFF, 'advisory_ack', ack.data, dmCard!.id);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('歯科 担当');
    // The refresh job of the new process found where the 1:1 chat lives and updated the card there.
    await h.connector!.waitFor((calls) => calls.some((c) => c.operation === 'updateActivity' && c.conversationId === dm && c.activityId === dmCard!.id), {
      timeoutMs: 15_000,
      description: 'the 1:1 card updated after the restart',
    });
  });
});

describe('Teams authentication', () => {
  it('refuses activities without a valid Bot Framework token when credentials are configured', async () => {
    const secured = await startHarness({
      env: {
        MICROSOFT_APP_ID: '00000000-1111-2222-3333-444444444444',
        MICROSOFT_APP_PASSWORD: 'secret',
        MICROSOFT_APP_TENANT_ID: '7c1f0c2e-0000-4000-8000-00000000c0de',
      },
    });
    try {
      const post = (authorization?: string) =>
        fetch(`${secured.bot.url}/api/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
          body: JSON.stringify({ type: 'message', id: '1', text: 'advisory', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', from: { id: '29:x' }, conversation: { id: 'c' }, recipient: { id: '28:b' } }),
        });
      expect((await post()).status).toBe(401);
      expect((await post('Bearer not-a-jwt')).status).toBe(401);
    } finally {
      await secured.close();
    }
  });
});
