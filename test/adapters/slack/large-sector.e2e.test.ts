/**
 * A sector past Slack's 100-option limit: the form searches organisations as the secretariat
 * types (external select), and an advisory to everyone reaches every channel exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION } from '../../../adapters/slack/advisory-modal.js';
import { REDIS_URL, startHarness, type Harness } from '../../support/bot-harness.js';
import { formValues, VALID_FORM } from '../../support/advisory-form.js';
import { writeLargeDirectory } from '../../support/large-directory.js';
import { eventually } from '../../support/eventually.js';
import { watchQueues, type QueueWatch } from '../../support/queue-watch.js';

const ORGANISATIONS = 300;
let h: Harness;
let dir: string;
let queues: QueueWatch;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ceptoar-large-'));
  const membersFile = await writeLargeDirectory(join(dir, 'members.yaml'), ORGANISATIONS);
  h = await startHarness({ env: { MEMBERS_FILE: membersFile, DELIVERY_RATE_PER_SECOND: '100', DELIVERY_CONCURRENCY: '20' } });
  queues = watchQueues(REDIS_URL, h.prefix);
});
afterAll(async () => {
  await queues?.close();
  await h?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a sector with hundreds of organisations', () => {
  it('offers an organisation search instead of a 100-option list', async () => {
    const opened = h.fake.callsTo('views.open').length;
    await h.slack.command({ text: '', userId: 'U0SEC00001', responseUrl: h.fake.responseUrl('open') });
    const call = await h.fake.waitFor(() => h.fake.callsTo('views.open')[opened]);
    const view = JSON.stringify(call.params['view']);
    expect(view).toContain('multi_external_select');
    expect(view).not.toContain('lg-0002'); // the organisations are searched, not listed

    const suggest = (value: string, userId = 'U0SEC00001') =>
      h.slack.interaction({
        type: 'block_suggestion',
        user: { id: userId, username: userId, name: userId, team_id: 'T0CEPTOAR0' },
        team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
        api_app_id: 'A0CEPTOAR',
        token: 'legacy-verification-token',
        action_id: ACTION.organisations,
        block_id: 'target_organisations',
        value,
        container: { type: 'view', view_id: 'V1' },
      });
    const res = await suggest('港');
    expect(res.status).toBe(200);
    const options = (res.json as { options: { value: string }[] }).options;
    expect(options.map((o) => o.value)).toEqual(['lg-0002']);
    const many = (await suggest('自治体')).json as { options: unknown[] };
    expect(many.options).toHaveLength(100);
    const refused = (await suggest('港', 'U0LG0001')).json as { options: unknown[] };
    expect(refused.options).toHaveLength(0);
  });

  it('delivers to every organisation exactly once', async () => {
    const title = '大規模配信テスト';
    await h.slack.submitAdvisory({ userId: 'U0SEC00001', viewId: 'VLARGE1', values: formValues({ ...VALID_FORM, title }) });
    const posts = await eventually(async () => {
      const p = h.fake.callsTo('chat.postMessage').filter((c) => String(c.params['text']).includes(title) && String(c.params['channel']).startsWith('C0LG'));
      return p.length >= ORGANISATIONS && p;
    }, { timeoutMs: 60_000, description: `${ORGANISATIONS} posts` });
    // Once every job has run, count again: a second post to any channel would show now.
    await queues.waitIdle({ timeoutMs: 60_000, description: 'fan-out finished' });
    const kindOf = (c: { params: Record<string, unknown> }) => (c.params['metadata'] as { event_payload?: Record<string, unknown> } | undefined)?.event_payload?.['kind'];
    const all = h.fake.callsTo('chat.postMessage').filter((c) => String(c.params['text']).includes(title) && kindOf(c) === 'advisory');
    expect(all).toHaveLength(ORGANISATIONS);
    expect(all.every((c) => String(c.params['channel']).startsWith('C0LG'))).toBe(true);
    expect(new Set(all.map((p) => p.params['channel'])).size).toBe(ORGANISATIONS);
    const advisoryId = String((posts[0]!.params['metadata'] as { event_payload: Record<string, unknown> }).event_payload['advisory_id']);
    const status = await h.bot.core.statusOf({ platform: 'slack', userId: 'U0SEC00001' }, advisoryId);
    expect(status.counts).toMatchObject({ total: ORGANISATIONS, posted: ORGANISATIONS, queued: 0, failed: 0 });
  });
});
