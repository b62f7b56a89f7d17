/**
 * The Teams preview card: what would be sent, user text inert, Send carrying the digest and the entries,
 * Back carrying the entries, the member's card without its button; and the card that replaces it once sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADVISORY_ACK_VERB } from '../../../adapters/teams/advisory-card.js';
import { FORM_INPUT } from '../../../adapters/teams/advisory-form-card.js';
import { CARD_SCHEMA } from '../../../adapters/teams/card-elements.js';
import { ADVISORY_BACK_VERB, ADVISORY_SEND_VERB, previewCard, sentCard } from '../../../adapters/teams/preview-card.js';
import type { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { PREVIEW_TEXT } from '../../../src/i18n/preview-text.js';
import type { PreviewView } from '../../../src/view/preview-view.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { assertInert, elements, markdownTexts, unescapeCardText } from './card-helpers.js';

const HOSTILE = '[銀行](https://evil.example) **緊急** <at>Secretariat</at>\n- 一覧';
const CARRY = { formKey: '00000000-0000-4000-8000-000000000001', values: { [FORM_INPUT.title]: HOSTILE, [FORM_INPUT.body]: '本文' } };

let f: CoreFixture;
beforeAll(async () => {
  const file = structuredClone(await exampleDirectoryFile());
  file.organisations.find((o) => o.id === 'jna')!.channels = [];
  f = await coreFixture({ directory: DirectoryFile.parse(file) });
});
afterAll(async () => {
  await f.close();
});

const preview = (over: Partial<AdvisoryInput> = {}): Promise<PreviewView> =>
  f.core.previewAdvisory(SECRETARIAT, { ...ISSUE_INPUT, title: HOSTILE, body: HOSTILE, tlp: 'TLP:AMBER+STRICT', targets: { groups: ['shishikai'], observers: true }, ...over });

const actions = (card: unknown) => elements(card).filter((e) => e['type'] === 'Action.Execute');
const texts = (card: unknown) => markdownTexts(card).map(unescapeCardText);

describe('the Teams preview card', () => {
  it('carries the digest and the entries on Send, the entries on Back, and no acknowledge button', async () => {
    const p = await preview();
    const card = previewCard(p, CARRY);
    expect(card).toMatchObject({ $schema: CARD_SCHEMA, type: 'AdaptiveCard', version: '1.5' });
    expect(actions(card).map((a) => [a['verb'], a['data']])).toEqual([
      [ADVISORY_SEND_VERB, { formKey: CARRY.formKey, digest: p.digest, values: CARRY.values }],
      [ADVISORY_BACK_VERB, { formKey: CARRY.formKey, values: CARRY.values }],
    ]);
    expect(JSON.stringify(card)).not.toContain(ADVISORY_ACK_VERB);
    expect(JSON.parse(JSON.stringify(card))).toEqual(card);
  });

  it('says what would be sent and to whom, every line in both languages, user text inert', async () => {
    const card = previewCard(await preview(), CARRY);
    for (const t of markdownTexts(card)) assertInert(t.replace(/\*\*/g, '').replace(/^[\s\u00a0]*• /gm, ''));
    const lines = texts(card);
    expect(lines).toContain('• 配信 4 件（5 団体） / 4 deliveries (5 organisations)');
    expect(lines).toContain('• Slack: チャンネルへの投稿 3 件（4 配信） / Slack: 3 channel posts (4 deliveries)');
    expect(lines.filter((l) => l.startsWith('⚠️ '))).toHaveLength(2);
    expect(lines.some((l) => l.includes('公益社団法人 日本看護協会: チャンネルが登録されていません'))).toBe(true);
    // The member's card, as delivered, with the hostile title shown as typed.
    expect(lines).toContain(HOSTILE);
    expect(JSON.stringify(card)).toContain('ADV-2026-????');
  });

  it('leads with the notice when it is shown again instead of sending', async () => {
    const card = previewCard(await preview(), CARRY, true);
    expect(JSON.stringify(card.body[0])).toContain(PREVIEW_TEXT.changed.ja);
    expect(JSON.stringify(previewCard(await preview(), CARRY).body)).not.toContain(PREVIEW_TEXT.changed.ja);
  });

  it('lists twenty problems and counts the rest', async () => {
    const p = await preview();
    const one = p.problems[0]!;
    const many = { ...p, problems: Array.from({ length: 23 }, (_, i) => ({ ...one, memberName: { ja: `団体${i}`, en: `Org ${i}` } })) };
    const lines = texts(previewCard(many, CARRY));
    expect(lines.filter((l) => l.startsWith('⚠️ '))).toHaveLength(20);
    expect(lines).toContain('ほか 3 件 / and 3 more');
  });

  it('says every target can be sent to when none is refused', async () => {
    const card = previewCard(await preview({ tlp: 'TLP:AMBER', targets: { members: ['jma'] } }), CARRY);
    expect(texts(card)).toContain(`✅ ${PREVIEW_TEXT.noProblems.ja} / ${PREVIEW_TEXT.noProblems.en}`);
  });
});

describe('the card that replaces the preview once sent', () => {
  it('names the advisory, and says plainly when the form had already sent it or the queue is down', () => {
    const sent = texts(sentCard({ advisoryId: 'ADV-2026-0042', deliveries: 17, created: true, queued: true })).join('\n');
    expect(sent).toContain('✅ 発信しました / Issued: ADV-2026-0042');
    expect(sent).toContain('配信 17 件');
    const repeat = texts(sentCard({ advisoryId: 'ADV-2026-0042', deliveries: 17, created: false, queued: true })).join('\n');
    expect(repeat).toContain('既に ADV-2026-0042 を発信しています');
    const waiting = texts(sentCard({ advisoryId: 'ADV-2026-0042', deliveries: 17, created: true, queued: false })).join('\n');
    expect(waiting).toContain('復旧後に自動で始まります');
    expect(actions(sentCard({ advisoryId: 'A', deliveries: 1, created: true, queued: true }))).toEqual([]);
  });
});
