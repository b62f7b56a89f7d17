/**
 * The Slack confirmation view: the preview the core computed, shown with the entries it was computed from,
 * Send as the submit and Back as a button; nothing that can be pressed as if the advisory had been sent.
 */
import type { InputBlock, KnownBlock, ModalView } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACK_ACTION_ID } from '../../../adapters/slack/advisory-blocks.js';
import { BLOCK, readSubmission, type ModalOptions, type SubmittedValues } from '../../../adapters/slack/advisory-modal.js';
import { ADVISORY_CONFIRM_CALLBACK, buildConfirmView, confirmMetadata, PREVIEW_BACK_ACTION } from '../../../adapters/slack/preview-blocks.js';
import type { AdvisoryInput } from '../../../src/domain/advisory.js';
import { DirectoryFile } from '../../../src/directory/schema.js';
import { PREVIEW_TEXT } from '../../../src/i18n/preview-text.js';
import { both } from '../../../src/i18n/text.js';
import type { PreviewView } from '../../../src/view/preview-view.js';
import { coreFixture, exampleDirectoryFile, ISSUE_INPUT, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { sectionFields, sectionLines } from '../../support/slack-read.js';

let f: CoreFixture;
let options: ModalOptions;
beforeAll(async () => {
  const file = structuredClone(await exampleDirectoryFile());
  file.organisations.find((o) => o.id === 'jna')!.channels = [];
  f = await coreFixture({ directory: DirectoryFile.parse(file) });
  options = await f.core.openAdvisoryForm(SECRETARIAT);
});
afterAll(async () => {
  await f.close();
});

const ENTERED: AdvisoryInput = {
  ...ISSUE_INPUT,
  title: 'VPN 装置 <!channel> の脆弱性',
  tlp: 'TLP:AMBER+STRICT',
  targets: { allMembers: false, observers: true, groups: ['shishikai'], members: [] },
};

const preview = (input: AdvisoryInput = ENTERED): Promise<PreviewView> => f.core.previewAdvisory(SECRETARIAT, input);

function all(view: ModalView, pred: (o: Record<string, unknown>) => boolean): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      if (pred(n as Record<string, unknown>)) out.push(n as Record<string, unknown>);
      Object.values(n).forEach(walk);
    }
  };
  walk(view.blocks);
  return out;
}

function untouched(blocks: readonly unknown[]): SubmittedValues {
  const values: SubmittedValues = {};
  for (const b of blocks as InputBlock[]) {
    if (b.type !== 'input' || !b.block_id) continue;
    const el = b.element as unknown as Record<string, unknown>;
    values[b.block_id] = {
      [String(el['action_id'])]: {
        value: (el['initial_value'] as string | undefined) ?? null,
        selected_option: (el['initial_option'] as { value: string } | undefined) ?? null,
        selected_options: (el['initial_options'] as { value: string }[] | undefined) ?? [],
      },
    };
  }
  return values;
}

describe('the Slack confirmation view', () => {
  it('sends on submit, carries the digest of what was shown, and offers Back', async () => {
    const p = await preview();
    const view = buildConfirmView(p, options, ENTERED);
    expect(view.callback_id).toBe(ADVISORY_CONFIRM_CALLBACK);
    expect(view.submit?.text).toBe(both(PREVIEW_TEXT.send));
    expect(confirmMetadata(view.private_metadata)).toEqual({ digest: p.digest });
    expect(all(view, (o) => o['type'] === 'button').map((b) => b['action_id'])).toEqual([PREVIEW_BACK_ACTION]);
    expect(JSON.stringify(view)).not.toContain(ACK_ACTION_ID);
    for (const t of [view.title, view.submit, view.close]) expect(t?.text.length ?? 0).toBeLessThanOrEqual(24);
  });

  it('shows the classification, the recipients and who will not get it, with the reason', async () => {
    const p = await preview();
    const view = buildConfirmView(p, options, ENTERED);
    const facts = sectionFields(view.blocks);
    expect(facts['TLP']).toContain('TLP:AMBER+STRICT');
    expect(facts['受領確認期限 / Acknowledge by']).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2} JST（送信から 1時間） \/ .* \(1 hour after sending\)$/);
    const lines = sectionLines(view.blocks);
    // shishikai (jma, jda, jpa, jna) and the observer: four channels, jna without one.
    expect(lines).toContain('• 配信 4 件（5 団体） / 4 deliveries (5 organisations)');
    expect(lines).toContain('• Slack: チャンネルへの投稿 3 件（4 配信） / Slack: 3 channel posts (4 deliveries)');
    expect(lines.filter((l) => l.startsWith('⚠️ '))).toEqual([
      expect.stringMatching(/^⚠️ 公益社団法人 日本看護協会: チャンネルが登録されていません → .* \/ .*No channel in the directory → Not sent in chat at all/),
      expect.stringMatching(/^⚠️ .*（Slack）: TLP:AMBER\+STRICT と TLP:RED の情報は、組織外と共有されたチャンネルには投稿できません。 → 配信失敗として/),
    ]);
    expect(lines.some((l) => l.includes('Slack also checks at sending whether a channel is shared'))).toBe(true);
  });

  it('shows the message as members will see it, user text escaped', async () => {
    const view = buildConfirmView(await preview(), options, ENTERED);
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('TLP:AMBER+STRICT');
    expect(text).toContain('ADV-2026-????');
    expect(all(view, (o) => o['type'] === 'header').map((h) => (h['text'] as { text: string }).text)).toContain(ENTERED.title);
    // In mrkdwn the title's markup is inert.
    expect(all(view, (o) => o['type'] === 'mrkdwn').some((t) => String(t['text']).includes('<!channel>'))).toBe(false);
  });

  it('keeps the entries as the inputs of the form, so Send and Back have them', async () => {
    const view = buildConfirmView(await preview(), options, ENTERED);
    const read = readSubmission(untouched(view.blocks));
    expect(read).toEqual({ ...ENTERED, drill: false, escalate: true, ackDeadlineMinutes: undefined });
    expect(view.blocks.filter((b) => b.type === 'input').map((b) => b.block_id)).toContain(BLOCK.title);
  });

  it('says the preview changed when it is shown again instead of sending', async () => {
    const view = buildConfirmView(await preview(), options, ENTERED, true);
    expect(JSON.stringify(view.blocks[0])).toContain(PREVIEW_TEXT.changed.ja);
    const plain = buildConfirmView(await preview(), options, ENTERED);
    expect(JSON.stringify(plain.blocks)).not.toContain(PREVIEW_TEXT.changed.ja);
  });

  it('stays within a modal’s 100 blocks for a whole sector without channels', async () => {
    const file = structuredClone(await exampleDirectoryFile());
    for (const o of file.organisations) if (o.id !== 'jma') o.channels = [];
    const g = await coreFixture({ directory: DirectoryFile.parse(file) });
    try {
      const p = await g.core.previewAdvisory(SECRETARIAT, { ...ENTERED, body: 'あ'.repeat(3000), targets: { allMembers: true, observers: true, groups: [], members: [] } });
      expect(p.problems).toHaveLength(17);
      const view = buildConfirmView(p, await g.core.openAdvisoryForm(SECRETARIAT), ENTERED);
      expect(view.blocks.length).toBeLessThanOrEqual(100);
      const lines = sectionLines(view.blocks);
      expect(lines.filter((l) => l.startsWith('⚠️ '))).toHaveLength(17);
      for (const b of view.blocks as KnownBlock[]) if (b.type === 'section' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
    } finally {
      await g.close();
    }
  });

  it('lists twenty problems and counts the rest', async () => {
    const p = await preview();
    const one = p.problems[0]!;
    const many = { ...p, problems: Array.from({ length: 25 }, (_, i) => ({ ...one, memberId: `m${i}`, memberName: { ja: `団体${i}`, en: `Org ${i}` } })) };
    const lines = sectionLines(buildConfirmView(many, options, ENTERED).blocks);
    expect(lines.filter((l) => l.startsWith('⚠️ '))).toHaveLength(20);
    expect(lines).toContain('ほか 5 件 / and 5 more');
    expect(lines.some((l) => l.includes('団体19'))).toBe(true);
    expect(lines.some((l) => l.includes('団体20'))).toBe(false);
  });

  it('says every target can be sent to when none is refused', async () => {
    const p = await preview({ ...ENTERED, tlp: 'TLP:AMBER', targets: { allMembers: false, observers: false, groups: [], members: ['jma'] } });
    expect(p.problems).toEqual([]);
    expect(sectionLines(buildConfirmView(p, options, ENTERED).blocks)).toContain(`✅ ${both(PREVIEW_TEXT.noProblems)}`);
  });
});
