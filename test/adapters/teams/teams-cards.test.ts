import { describe, expect, it } from 'vitest';
import { escapeCardText } from '../../../adapters/teams/card-text.js';
import { ADVISORY_ACK_VERB, advisoryCard } from '../../../adapters/teams/advisory-card.js';
import {
  ADVISORY_PREVIEW_VERB,
  advisoryFormCard,
  FORM_INPUT,
  formErrorCard,
  STATIC_CHOICES_MAX,
  TARGET_DATASET,
  targetSearchChoices,
} from '../../../adapters/teams/advisory-form-card.js';
import { parseAdvisoryForm } from '../../../adapters/teams/advisory-form-parse.js';
import { CARD_MAX_CHARS, CARD_SCHEMA, type AdaptiveCard } from '../../../adapters/teams/card-elements.js';
import { noticeCard } from '../../../adapters/teams/notice-card.js';
import { PHONE_VERB, phoneTaskCard } from '../../../adapters/teams/phone-task-card.js';
import { reminderCard } from '../../../adapters/teams/reminder-card.js';
import { oncallListCard, ROWS_MAX, statusCard } from '../../../adapters/teams/status-cards.js';
import { renderTeamsMessage } from '../../../adapters/teams/teams-cards.js';
import type { TargetOptions } from '../../../src/view/views.js';
import { TLP_LEVELS, type Tlp } from '../../../src/domain/classification.js';
import { BODY_MAX, TITLE_MAX } from '../../../src/domain/advisory.js';
import type {
  NoticeView,
  OncallListView,
  PhoneTaskView,
  ReminderView,
  StatusRow,
  StatusView,
} from '../../../src/view/views.js';
import { assertInert, elements, markdownTexts, unescapeCardText } from './card-helpers.js';
import { anAdvisoryView } from '../../support/view-fixtures.js';

const e = escapeCardText;
/** Markdown links, emphasis, a mention, a heading, and an attempt to break out of the JSON string. */
const HOSTILE = '[銀行](https://evil.example) **緊急** <at>Secretariat</at>\n# 見出し\n"}],"actions":[{"type":"Action.OpenUrl","url":"https://evil.example"}]}';

const advisory = anAdvisoryView;

function reminder(over: Partial<ReminderView> = {}): ReminderView {
  return {
    advisoryId: 'ADV-2026-0042',
    deliveryId: 'dlv-0001',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    drill: false,
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    mention: ['29:1AbCdEf-Gh_Ij', '8:orgid:87d349ed-44d7-43e1-9a83-5f2406dee5bd'],
    ...over,
  };
}

function phoneTask(over: Partial<PhoneTaskView> = {}): PhoneTaskView {
  return {
    taskId: 'dlv-0001.phone',
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    drill: false,
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    script: 'standard',
    excerpt: '厚生労働省より、以下の脆弱性について注意喚起がありました。',
    secretariatName: { ja: '医療セプター事務局', en: 'Medical CEPTOAR secretariat' },
    contacts: [
      { name: '山田 太郎', role: '情報システム部長', phoneE164: '+81355550101', phoneDisplay: '03-5555-0101', current: false, callable: true, state: 'no_answer', tried: ['no_answer'] },
      { name: '佐藤 花子', phoneE164: '+819012345678', phoneDisplay: '090-1234-5678', current: true, callable: true, state: 'not_tried', tried: [] },
    ],
    state: 'open',
    exhausted: false,
    tried: 1,
    // The contact being called now first.
    reachedChoices: [
      { index: 1, name: '佐藤 花子', current: true, choice: '1:kb' },
      { index: 0, name: '山田 太郎', role: '情報システム部長', current: false, choice: '0:ka' },
    ],
    ...over,
  };
}

function status(rows: StatusRow[]): StatusView {
  const counts = { queued: 0, posted: 0, acknowledged: 0, failed: 0, cancelled: 0, total: rows.length };
  for (const r of rows) counts[r.state] += 1;
  return {
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:GREEN',
    severity: 'level2',
    drill: false,
    issuedAt: '2026-11-25T09:00:00.000Z',
    ackDeadline: '2026-11-25T13:00:00.000Z',
    counts,
    rows,
  };
}

function row(i: number, state: StatusRow['state'], over: Partial<StatusRow> = {}): StatusRow {
  return {
    memberId: `m${i}`,
    memberName: { ja: `構成員${i}`, en: `Member ${i}` },
    deliveryId: `dlv-${i}`,
    platform: 'teams',
    state,
    ...over,
  };
}

const NOTICES: NoticeView[] = [
  {
    kind: 'delivery_failed',
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:AMBER+STRICT',
    drill: false,
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    reason: 'TLP_SHARED_CHANNEL',
  },
  {
    kind: 'advisory_issued',
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:CLEAR',
    drill: true,
    deliveries: 18,
    ackDeadline: '2026-11-25T10:00:00.000Z',
    issuedBy: '事務局 田中',
  },
  {
    kind: 'escalation_alert',
    advisoryId: 'ADV-2026-0042',
    title: '電子カルテシステムの脆弱性について',
    tlp: 'TLP:RED',
    drill: false,
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    deliveryState: 'posted',
    wrongNumbers: ['山田 太郎'],
    attempts: 3,
  },
];

const ONCALL_TASKS: OncallListView['tasks'] = [
  {
    taskId: 'dlv-1.phone',
    advisoryId: 'ADV-2026-0042',
    title: '一件目',
    tlp: 'TLP:AMBER+STRICT',
    severity: 'level3',
    drill: true,
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    state: 'claimed',
    claimedBy: '当番 鈴木',
    contactIndex: 2,
    contacts: 3,
    tried: 3,
    exhausted: true,
    createdAt: '2026-11-25T10:00:00.000Z',
    dueAt: '2026-11-25T10:00:00.000Z',
  },
  {
    taskId: 'dlv-2.phone',
    advisoryId: 'ADV-2026-0043',
    title: '二件目',
    tlp: 'TLP:GREEN',
    severity: 'level2',
    drill: false,
    memberName: { ja: '日本医師会', en: 'Japan Medical Association' },
    state: 'open',
    contactIndex: 1,
    contacts: 2,
    tried: 0,
    overdueSince: '2026-11-25T10:15:00.000Z',
    exhausted: false,
    createdAt: '2026-11-25T10:05:00.000Z',
    dueAt: '2026-11-25T10:05:00.000Z',
  },
];

/** The core's order: level 3 before level 2. */
const ONCALL: OncallListView = {
  groups: ONCALL_TASKS.map((t) => ({ advisoryId: t.advisoryId, title: t.title, tlp: t.tlp, severity: t.severity, drill: t.drill, tasks: [t] })),
  tasks: ONCALL_TASKS,
};

const OPTIONS: TargetOptions = {
  groups: [
    { id: 'hospitals', name: { ja: '病院団体', en: 'Hospital associations' } },
    { id: 'pharma', name: { ja: '薬剤関係', en: 'Pharmacy' } },
  ],
  organisations: [
    { id: 'jma', name: { ja: '日本医師会', en: 'Japan Medical Association' }, kind: 'member' },
    { id: 'jha', name: { ja: '日本病院会', en: 'Japan Hospital Association' }, kind: 'member' },
    { id: 'mhlw', name: { ja: '厚生労働省', en: 'MHLW' }, kind: 'observer' },
  ],
  defaultDeadlineSeconds: { level4: 15 * 60, level3: 3600, level2: 4 * 3600, level1: 24 * 3600, level0: 72 * 3600 },
  escalationOptional: ['level1', 'level0'],
};

const SQUARE: Record<Tlp, string> = { 'TLP:RED': '🟥', 'TLP:AMBER+STRICT': '🟧', 'TLP:AMBER': '🟧', 'TLP:GREEN': '🟩', 'TLP:CLEAR': '⬜' };
const STYLE: Record<Tlp, string> = {
  'TLP:RED': 'attention',
  'TLP:AMBER+STRICT': 'warning',
  'TLP:AMBER': 'warning',
  'TLP:GREEN': 'good',
  'TLP:CLEAR': 'default',
};

function byType(card: AdaptiveCard, type: string): Record<string, unknown>[] {
  return elements(card.body).filter((x) => x.type === type);
}

function inputs(card: AdaptiveCard): Map<string, Record<string, unknown>> {
  return new Map(elements(card.body).filter((x) => String(x.type).startsWith('Input.')).map((x) => [String(x.id), x]));
}

function expectLabelFirst(card: AdaptiveCard, tlp: Tlp): void {
  const first = card.body[0] as { type: string; style: string; items: { type: string; text: string }[] };
  expect(first.type).toBe('Container');
  expect(first.style).toBe(STYLE[tlp]);
  expect(first.items[0]?.text.startsWith(`${SQUARE[tlp]} **${e(tlp)}** — `)).toBe(true);
}

function expectCardShell(card: AdaptiveCard): void {
  expect(card.$schema).toBe(CARD_SCHEMA);
  expect(card.type).toBe('AdaptiveCard');
  expect(card.version).toBe('1.5');
  expect(card.msteams.width).toBe('Full');
  expect(JSON.parse(JSON.stringify(card))).toEqual(card);
}

// ---------------------------------------------------------------------------------------------------------------

describe('every card', () => {
  it('is an Adaptive Card 1.5, full width, and survives a JSON round trip', () => {
    const cards = [
      advisoryCard(advisory()),
      advisoryCard(advisory({ acknowledged: { by: 'A', at: '2026-11-25T09:10:00.000Z', via: 'button' } })),
      reminderCard(reminder()).card,
      phoneTaskCard(phoneTask()),
      ...NOTICES.map(noticeCard),
      statusCard(status([row(1, 'posted')])),
      oncallListCard(ONCALL),
      oncallListCard({ groups: [], tasks: [] }),
      advisoryFormCard(OPTIONS),
      formErrorCard(OPTIONS, [{ field: FORM_INPUT.title, message: 'x' }], {}),
    ];
    for (const c of cards) expectCardShell(c);
  });

  it('shows the TLP label first, styled by level, in every message kind', () => {
    for (const tlp of TLP_LEVELS) {
      expectLabelFirst(advisoryCard(advisory({ tlp })), tlp);
      expectLabelFirst(reminderCard(reminder({ tlp })).card, tlp);
      expectLabelFirst(phoneTaskCard(phoneTask({ tlp })), tlp);
      expectLabelFirst(statusCard({ ...status([]), tlp }), tlp);
      for (const n of NOTICES) expectLabelFirst(noticeCard({ ...n, tlp }), tlp);
    }
  });

  it('puts the label in the translated words too', () => {
    const label = markdownTexts(advisoryCard(advisory({ tlp: 'TLP:RED' })).body[0])[0];
    expect(label).toBe('🟥 **TLP:RED** — 受信者限り / For the named recipients only');
    const strict = markdownTexts(advisoryCard(advisory({ tlp: 'TLP:AMBER+STRICT' })).body[0])[0];
    expect(strict).toBe("🟧 **TLP:AMBER+STRICT** — 組織内限り / Recipient's organisation only");
  });
});

describe('advisoryCard', () => {
  it('lays out title, facts, body, the acknowledge button', () => {
    const card = advisoryCard(advisory());
    const texts = markdownTexts(card);
    expect(byType(card, 'TextBlock').find((t) => t.size === 'large')?.text).toBe('電子カルテシステムの脆弱性について');
    const facts = (byType(card, 'FactSet')[0]?.facts ?? []) as { title: string; value: string }[];
    expect(facts.map((f) => f.value)).toEqual([
      'レベル3 高 / Level 3 High',
      '脆弱性情報 / Vulnerability',
      '厚生労働省 / MHLW',
      '日本病院会 / Japan Hospital Association',
      '2026/11/25 19:00 JST',
    ]);
    expect(texts).toContain('厚生労働省より、以下の脆弱性について注意喚起がありました。\n\n対象製品をご確認ください。');
    expect(card.actions).toEqual([
      { type: 'Action.Execute', title: '受領確認 / Acknowledge', verb: ADVISORY_ACK_VERB, data: { deliveryId: 'dlv-0001' }, style: 'positive' },
    ]);
    expect(JSON.stringify(card)).not.toContain('訓練');
    expect(JSON.stringify(card)).not.toContain('"refresh"');
  });

  it('shows the drill banner right after the label', () => {
    const card = advisoryCard(advisory({ drill: true }));
    const banner = card.body[1] as { type: string; style: string; items: { text: string }[] };
    expect(banner.type).toBe('Container');
    expect(banner.style).toBe('warning');
    expect(banner.items[0]?.text).toBe('🚧 【訓練】これは訓練です / \\[DRILL\\] This is a drill 🚧');
    expect(renderTeamsMessage({ kind: 'advisory', view: advisory({ drill: true }) }).text).toBe(
      '[TLP:AMBER] 【訓練】[DRILL] 電子カルテシステムの脆弱性について',
    );
  });

  it('once acknowledged: no button, who and how, names escaped', () => {
    const card = advisoryCard(
      advisory({
        acknowledged: { by: '**Boss** [x](https://evil.example)', at: '2026-11-25T09:10:00.000Z', via: 'phone' },
        alsoSeenBy: [{ by: '<at>Everyone</at>', at: '2026-11-25T09:20:00.000Z' }],
      }),
    );
    expect(card.actions).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('Action.Execute');
    const texts = markdownTexts(card);
    expect(texts).toContain(
      '✅ **受領確認 / Acknowledged by**: \\*\\*Boss\\*\\* \\[x\\](https://evil.example) (2026/11/25 18:10 JST, via 電話 / phone)',
    );
    const seen = texts.find((t) => t.startsWith('👀'));
    expect(seen).toBe(`👀 **他の確認者 / Also seen by**: ${e('<at>Everyone</at> (2026/11/25 18:20 JST)')}`);
    expect(JSON.stringify(card)).not.toMatch(/<at>/i);
  });

  it('adds the do-not-forward line for a TLP:RED direct message only', () => {
    const direct = advisoryCard(advisory({ tlp: 'TLP:RED', audience: 'direct' }));
    const box = elements(direct.body).find(
      (x) => x.type === 'Container' && x.style === 'attention' && JSON.stringify(x).includes('転送・共有しないでください'),
    );
    expect(box).toBeDefined();
    expect(markdownTexts(box)).toEqual([
      `🔒 ${e('TLP:RED — あなた宛ての情報です。転送・共有しないでください。')}`,
      e('TLP:RED — for you only. Do not forward or share.'),
    ]);
    expect(JSON.stringify(advisoryCard(advisory({ tlp: 'TLP:RED' })))).not.toContain('転送・共有しないでください');
  });

  it('keeps user text inert and the card JSON valid whatever the text holds', () => {
    const card = advisoryCard(
      advisory({ title: HOSTILE, body: `${HOSTILE}\n{"x": "\\u0000"}\n\t'quotes' "double" \\ back`, memberName: { ja: HOSTILE, en: '*x*' } }),
    );
    expectCardShell(card);
    expect(card.actions?.map((a) => a.type)).toEqual(['Action.Execute']);
    const json = JSON.stringify(card);
    expect(json).not.toContain('Action.OpenUrl"');
    expect(json).not.toMatch(/<at>/i);
    const title = byType(card, 'TextBlock').find((t) => t.size === 'large')?.text as string;
    assertInert(title);
    expect(unescapeCardText(title)).toBe(HOSTILE);
    const body = markdownTexts(card).find((t) => t.includes('back'));
    expect(unescapeCardText(body ?? '')).toBe(`${HOSTILE}\n{"x": "\\u0000"}\n    'quotes' "double" \\ back`);
  });

  it('fits a full-length Japanese body, and cuts a pathological one with a note', () => {
    const japanese = advisoryCard(advisory({ body: '脆'.repeat(BODY_MAX) }));
    expect(JSON.stringify(japanese).length).toBeLessThanOrEqual(CARD_MAX_CHARS);
    expect(markdownTexts(japanese)).toContain('脆'.repeat(BODY_MAX));

    const punctuation = advisoryCard(advisory({ body: '\\*'.repeat(BODY_MAX / 2) }));
    expect(JSON.stringify(punctuation).length).toBeLessThanOrEqual(CARD_MAX_CHARS);
    const texts = markdownTexts(punctuation);
    expect(texts.some((t) => t.includes('本文が長いため'))).toBe(true);
    // The acknowledge button is never what gets cut.
    expect(punctuation.actions?.[0]?.verb).toBe(ADVISORY_ACK_VERB);
  });
});

describe('reminderCard', () => {
  it('mentions only valid Teams ids, with matching entities', () => {
    const valid = ['29:1AbCdEf-Gh_Ij', '8:orgid:87d349ed-44d7-43e1-9a83-5f2406dee5bd', '87d349ed-44d7-43e1-9a83-5f2406dee5bd'];
    const { card, entities } = reminderCard(
      reminder({ mention: [...valid, '<at>x</at>', '29:a b', '', '29:ok</at><at>evil', valid[0] as string, '[x](https://evil)'] }),
    );
    expect(entities.map((m) => m.mentioned.id)).toEqual(valid);
    expect(card.msteams.entities).toEqual(entities);
    for (const m of entities) {
      expect(m.type).toBe('mention');
      expect(m.text).toBe(`<at>${m.mentioned.id}</at>`);
    }
    const texts = markdownTexts(card).join('\n');
    expect(texts.match(/<at>[^<]*<\/at>/g)).toEqual(entities.map((m) => m.text));
  });

  it('shows names where known, cleaned of markup, and never two identical mention texts', () => {
    const names: Record<string, string> = { '29:aaa': '山田 <b>太郎</b>', '29:bbb': '山田 <b>太郎</b>', '29:ccc': '***' };
    const { entities } = reminderCard(reminder({ mention: ['29:aaa', '29:bbb', '29:ccc'] }), (id) => names[id]);
    expect(entities.map((m) => m.text)).toEqual(['<at>山田 b 太郎 b</at>', '<at>29:bbb</at>', '<at>29:ccc</at>']);
    expect(entities[0]?.mentioned).toEqual({ id: '29:aaa', name: '山田 b 太郎 b' });
  });

  it('renders a reminder with the directory\'s names inside the mentions, not the raw ids', () => {
    const out = renderTeamsMessage({
      kind: 'reminder',
      view: reminder({ mention: ['29:aaa', '29:bbb'], mentionNames: { '29:aaa': '佐藤 健一', '29:bbb': '鈴木 美咲' } }),
    });
    const json = JSON.stringify(out.card);
    expect(json).toContain('<at>佐藤 健一</at>');
    expect(json).toContain('<at>鈴木 美咲</at>');
    expect(json).not.toContain('<at>29:aaa</at>');
  });

  it('has no mention line and no entities when there is nobody to mention', () => {
    const { card, entities } = reminderCard(reminder({ mention: ['not an id'] }));
    expect(entities).toEqual([]);
    expect(card.msteams.entities).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('<at>');
  });

  it('escapes the title and tags drills', () => {
    const { card } = reminderCard(reminder({ title: HOSTILE, drill: true, mention: [] }));
    expect(JSON.stringify(card)).not.toMatch(/<at>/i);
    expect(markdownTexts(card.body[1])[0]).toContain('【訓練】これは訓練です');
    const line = markdownTexts(card).find((t) => t.startsWith('注意喚起 ADV')) as string;
    expect(unescapeCardText(line)).toContain(HOSTILE);
  });
});

describe('phoneTaskCard', () => {
  const verbs = (card: AdaptiveCard) => (card.actions ?? []).map((a) => a.verb);

  /** The "reached" choices: the Action.Execute of each ActionSet in the body, in order. */
  const choices = (card: AdaptiveCard) =>
    elements(card.body)
      .filter((x) => x.type === 'ActionSet')
      .flatMap((x) => x.actions as { type: string; title: string; verb: string; data: unknown; style?: string }[]);

  it('offers the same buttons as Slack in each state, none once finished', () => {
    expect(verbs(phoneTaskCard(phoneTask({ state: 'open' })))).toEqual([PHONE_VERB.claim, PHONE_VERB.noAnswer, PHONE_VERB.wrongNumber]);
    expect(verbs(phoneTaskCard(phoneTask({ state: 'claimed', claimedBy: '当番 鈴木' })))).toEqual([
      PHONE_VERB.noAnswer,
      PHONE_VERB.wrongNumber,
      PHONE_VERB.release,
    ]);
    for (const state of ['done', 'cancelled'] as const) {
      const card = phoneTaskCard(phoneTask({ state, resolution: { kind: 'reached', by: '当番 鈴木', at: '2026-11-25T10:30:00.000Z' } }));
      expect(card.actions).toBeUndefined();
      expect(JSON.stringify(card)).not.toContain('Action.Execute');
    }
    const open = phoneTaskCard(phoneTask());
    for (const a of open.actions ?? []) {
      expect(a.type).toBe('Action.Execute');
      expect(a.data).toEqual({ taskId: 'dlv-0001.phone' });
    }
    expect(open.actions?.[0]).toMatchObject({ title: '対応する / Claim', style: 'positive' });
  });

  it('offers one "reached" button per contact, the current one first, each carrying the contact it names', () => {
    const open = phoneTaskCard(phoneTask());
    expect(choices(open)).toEqual([
      { type: 'Action.Execute', title: '✅ 2. 佐藤 花子', verb: PHONE_VERB.reached, data: { taskId: 'dlv-0001.phone', choice: '1:kb' } },
      { type: 'Action.Execute', title: '✅ 1. 山田 太郎 (情報システム部長)', verb: PHONE_VERB.reached, data: { taskId: 'dlv-0001.phone', choice: '0:ka' } },
    ]);
    // One per ActionSet, so they stack as a list of names.
    expect(elements(open.body).filter((x) => x.type === 'ActionSet').map((x) => (x.actions as unknown[]).length)).toEqual([1, 1]);
    expect(markdownTexts(open)).toContain(`✅ **${e('連絡がついた — 応答した方を選んでください（受領確認を記録します） / Reached — choose who answered (records the acknowledgement)')}**`);
    // Once claimed, the contact being called now is the obvious one.
    expect(choices(phoneTaskCard(phoneTask({ state: 'claimed', claimedBy: 'A' }))).map((a) => a.style)).toEqual(['positive', undefined]);
    expect(choices(phoneTaskCard(phoneTask({ contacts: [], reachedChoices: [] })))).toEqual([]);
    const long = choices(phoneTaskCard(phoneTask({ reachedChoices: [{ index: 0, name: '長'.repeat(300), current: true, choice: '0:k' }] })));
    expect(long[0]!.title.length).toBeLessThanOrEqual(80);
  });

  it('done: says whom the caller reached, who called and when, Japanese first', () => {
    const card = phoneTaskCard(
      phoneTask({
        state: 'done',
        reachedChoices: [],
        resolution: { kind: 'reached', by: '当番 鈴木', at: '2026-11-25T10:30:00.000Z', contact: { index: 0, name: '山田 *太郎*', role: '部長' } },
      }),
    );
    expect(markdownTexts(card)).toContain(
      `✅ ${e('完了：山田 *太郎* (部長) に連絡がつきました（当番 鈴木、2026/11/25 19:30 JST）。受領確認を記録しました。\nDone: reached 山田 *太郎* (部長) by 当番 鈴木 at 2026/11/25 19:30 JST; acknowledgement recorded.')}`,
    );
    const older = phoneTaskCard(phoneTask({ state: 'done', reachedChoices: [], resolution: { kind: 'reached', by: '当番 鈴木', at: '2026-11-25T10:30:00.000Z' } }));
    expect(markdownTexts(older).some((t) => t.includes('当番 鈴木 が 2026/11/25 19:30 JST に連絡し'))).toBe(true);
  });

  it('lists contacts with tel: links, the current one marked, earlier outcomes shown', () => {
    const texts = markdownTexts(phoneTaskCard(phoneTask()));
    expect(texts).toContain('・ 1\\. 山田 太郎 (情報システム部長) [03-5555-0101](tel:+81355550101) — 📵 不在 / no answer');
    expect(texts).toContain('▶ **2\\. 佐藤 花子** [090-1234-5678](tel:+819012345678) — ⚪ 未架電 / not tried — **▶ 今かける / call now**');
    expect(texts.some((t) => t.includes('「医療セプター事務局です。注意喚起 ADV-2026-0042'))).toBe(true);
    expect(texts.some((t) => t.startsWith('厚生労働省より、以下の脆弱性'))).toBe(true);
  });

  it('overdue: a warning container says since when nobody has called; a later contact says from when, subtle', () => {
    const contacts = [...phoneTask().contacts, { name: '鈴木 次郎', phoneE164: '+81355550199', phoneDisplay: '03-5555-0199', current: false, callable: false, callableFrom: '2026-11-25T10:20:00.000Z', state: 'not_tried' as const, tried: [] }];
    const card = phoneTaskCard(phoneTask({ contacts, overdue: { since: '2026-11-25T10:10:00.000Z' } }));
    const banner = card.body.find((b) => b.type === 'Container' && JSON.stringify(b).includes('期限超過')) as { style: string; items: { text: string }[] } | undefined;
    expect(banner?.style).toBe('warning');
    expect(banner?.items.map((i) => i.text)).toEqual(['⚠ 期限超過：まだ誰も架電していません（2026/11/25 19:10 JSTから）', '⚠ Overdue: nobody has called yet (since 2026/11/25 19:10 JST)']);
    const later = JSON.parse(JSON.stringify(card.body)).find((b: { text?: string }) => b.text?.startsWith('・ 3\\.')) as { text: string; isSubtle?: boolean };
    expect(later.text).toBe('・ 3\\. 鈴木 次郎 [03-5555-0199](tel:+81355550199) — ⚪ 未架電 / not tried — （2026/11/25 19:20 JSTから） / (from 2026/11/25 19:20 JST)');
    expect(later.isSubtle).toBe(true);
    expect(JSON.stringify(phoneTaskCard(phoneTask()))).not.toContain('期限超過');
  });

  it('never links a number that is not a number', () => {
    const card = phoneTaskCard(
      phoneTask({
        contacts: [
          { name: '[x](https://evil.example)', role: '<at>boss</at>', phoneE164: '+81355550101)[y](https://evil', phoneDisplay: '03-5555-0101', current: true, callable: true, state: 'not_tried', tried: [] },
          { name: 'B', phoneE164: '+81355550102', phoneDisplay: '03](https://evil.example)', current: false, callable: false, state: 'not_tried', tried: [] },
        ],
      }),
    );
    const texts = markdownTexts(card).filter((t) => t.startsWith('▶') || t.startsWith('・'));
    expect(texts[0]).toBe(`▶ **1\\. \\[x\\](https://evil.example)** ${e('(<at>boss</at>)')} ${e('03-5555-0101')} — ⚪ 未架電 / not tried — **▶ 今かける / call now**`);
    expect(texts[1]).toBe('・ 2\\. B [+81355550102](tel:+81355550102) — ⚪ 未架電 / not tried — （まだかけません） / (not yet)');
    // No live link: every "](" to the evil address has its bracket escaped.
    for (const t of markdownTexts(card)) expect(t).not.toMatch(/(^|[^\\])\]\(https:\/\/evil/);
  });

  it('for TLP:RED gives the title and a call-back request only, never the body', () => {
    for (const view of [
      phoneTask({ tlp: 'TLP:RED', script: 'red', excerpt: undefined }),
      // Even a view that wrongly carries an excerpt or the standard script.
      phoneTask({ tlp: 'TLP:RED', script: 'standard', excerpt: 'SECRET 本文' }),
      phoneTask({ tlp: 'TLP:AMBER', script: 'red', excerpt: 'SECRET 本文' }),
    ]) {
      const card = phoneTaskCard(view);
      const json = JSON.stringify(card);
      expect(json).not.toContain('SECRET');
      expect(json).not.toContain('要旨');
      const texts = markdownTexts(card);
      expect(texts).toContain(
        e('「医療セプター事務局です。「電子カルテシステムの脆弱性について」の件で、事務局までお電話をお願いします。」\n"This is Medical CEPTOAR secretariat. About "電子カルテシステムの脆弱性について": please call the secretariat (事務局) back."'),
      );
      expect(texts.some((t) => t.includes('件名以外は電話で伝えないでください'))).toBe(true);
    }
  });

  it('warns when every contact has been tried, and shows who holds the task', () => {
    const card = phoneTaskCard(phoneTask({ state: 'claimed', claimedBy: '*当番*', exhausted: true }));
    const texts = markdownTexts(card);
    expect(texts.some((t) => t.startsWith('⚠️ すべての連絡先に電話しましたが'))).toBe(true);
    expect(texts).toContain(`📞 ${e('*当番* が対応中（電話中） / claimed by *当番* (calling now)')}`);
  });
});

describe('noticeCard', () => {
  it('explains a known failure code and says when it is unknown', () => {
    const known = markdownTexts(noticeCard(NOTICES[0] as NoticeView));
    expect(known).toContain('TLP\\_SHARED\\_CHANNEL');
    expect(known.some((t) => t.startsWith('TLP:AMBER+STRICT と TLP:RED の情報は'))).toBe(true);
    const unknown = markdownTexts(noticeCard({ ...(NOTICES[0] as NoticeView), reason: 'constructor' } as NoticeView));
    expect(unknown.some((t) => t.startsWith('想定外のエラーです'))).toBe(true);
  });

  it('lists wrong numbers on an escalation alert and tags drills on issue notices', () => {
    const alert = markdownTexts(noticeCard(NOTICES[2] as NoticeView));
    expect(alert).toContain('📵 **番号違い / Wrong numbers**: 山田 太郎');
    expect(alert).toContain('なし / nobody');
    const issued = noticeCard(NOTICES[1] as NoticeView);
    expect(markdownTexts(issued.body[1])[0]).toContain('【訓練】これは訓練です');
    expect(markdownTexts(issued)).toContain('18');
  });

  it('escapes what the failure reason and names hold', () => {
    const card = noticeCard({ ...(NOTICES[0] as NoticeView), reason: HOSTILE, title: HOSTILE } as NoticeView);
    expect(JSON.stringify(card)).not.toMatch(/<at>/i);
    for (const t of markdownTexts(card).filter((x) => x.includes('銀行'))) assertInert(t);
  });
});

describe('statusCard', () => {
  it('one page of a larger status: the rows beyond the page count as not shown', () => {
    const page = Array.from({ length: 5 }, (_, i) => row(i, 'posted'));
    const json = JSON.stringify(statusCard({ ...status(page), page: { query: {}, offset: 0, limit: 5, matching: 1_800 } }));
    expect(json).toContain('ほか 1,795 件');
    expect(JSON.stringify(statusCard({ ...status(page), page: { query: {}, offset: 0, limit: 100, matching: 5 } }))).not.toContain('ほか');
  });

  it('shows counts, then members unacknowledged first, with the ladder position', () => {
    const card = statusCard(
      status([
        row(1, 'acknowledged', { acknowledgedBy: '山田', acknowledgedAt: '2026-11-25T09:05:00.000Z', via: 'button' }),
        row(2, 'posted', {
          ladder: { kind: 'phone', index: 1, at: '2026-11-25T13:00:00.000Z' },
          phoneTask: { state: 'claimed', claimedBy: '当番 鈴木', contactIndex: 0, contacts: 2, tried: 0, overdue: false, exhausted: false },
        }),
        row(3, 'failed', { failure: 'channel_gone' }),
      ]),
    );
    const facts = (byType(card, 'FactSet')[0]?.facts ?? []) as { title: string; value: string }[];
    expect(facts.map((f) => f.value)).toEqual(['3', '1', '1', '0', '1']);
    const rows = markdownTexts(card).find((t) => t.includes('構成員1')) as string;
    const lines = rows.split('\n\n');
    expect(lines[0]).toMatch(/^⚠️ \*\*構成員3 \/ Member 3\*\* — 配信失敗/);
    expect(lines[1]).toContain('📞 電話連絡: 当番 鈴木 が対応中（電話中）、架電 0/2 件 / phone task: claimed by 当番 鈴木 (calling now), tried 0 of 2');
    expect(lines[2]).toBe('✅ **構成員1 / Member 1** — 受領確認済み / Acknowledged — 山田 (2026/11/25 18:05 JST, via ボタン / button)');
  });

  it('a phone acknowledgement says who called and whom they reached', () => {
    const card = statusCard(
      status([
        row(1, 'acknowledged', { acknowledgedBy: '当番 A', acknowledgedAt: '2026-11-25T09:05:00.000Z', via: 'phone', reachedContact: { index: 1, name: '佐藤 *花子*', role: '部長' } }),
      ]),
    );
    const line = markdownTexts(card).find((t) => t.includes('構成員1')) as string;
    expect(line).toBe(
      `✅ **構成員1 / Member 1** — ${e('受領確認済み / Acknowledged — 📞 当番 A が電話で 佐藤 *花子* (部長) に連絡 / 当番 A reached 佐藤 *花子* (部長) by phone (2026/11/25 18:05 JST)')}`,
    );
    assertInert(line.replace(/\*\*構成員1 \/ Member 1\*\*/, ''));
  });

  it('caps a sector-sized list with a "more" line and stays within the size limit', () => {
    const rows = Array.from({ length: 1800 }, (_, i) => row(i, 'posted', { memberName: { ja: `横浜市立第${i}病院`, en: `Yokohama City Hospital No. ${i}` } }));
    const card = statusCard(status(rows));
    expect(JSON.stringify(card).length).toBeLessThanOrEqual(CARD_MAX_CHARS);
    const lines = markdownTexts(card).flatMap((t) => t.split('\n\n')).filter((t) => t.startsWith('⏳'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(ROWS_MAX);
    const more = markdownTexts(card).find((t) => t.startsWith('➕')) as string;
    expect(more).toContain(`ほか ${(1800 - lines.length).toLocaleString('en-US')} 件`);
  });

  it('says so when there are no deliveries', () => {
    expect(markdownTexts(statusCard(status([])))).toContain('配信はありません。 / No deliveries.');
  });
});

describe('oncallListCard', () => {
  it("keeps the core's order, one heading per advisory, under the most restrictive label", () => {
    const card = oncallListCard(ONCALL);
    expectLabelFirst(card, 'TLP:AMBER+STRICT');
    const texts = markdownTexts(card);
    const head1 = texts.findIndex((t) => t.includes('**ADV-2026-0042 一件目（1 件）**'));
    const head2 = texts.findIndex((t) => t.includes('**ADV-2026-0043 二件目（1 件）**'));
    expect(head1).toBeGreaterThan(0);
    expect(head2).toBeGreaterThan(head1);
    expect(texts[head1]).toMatch(/^🟧 \*\*TLP:AMBER\+STRICT\*\* 【訓練】\\\[DRILL\\\] · \*\*レベル3 高 \/ Level 3 High\*\*/);
    expect(texts[head1]).toContain('ADV-2026-0042 一件目 (1 task)');
    expect(texts[head2]).toMatch(/^🟩 \*\*TLP:GREEN\*\* · \*\*レベル2 中 \/ Level 2 Medium\*\*/);
    const first = texts[head1 + 1] ?? '';
    expect(first).toMatch(/^・ \*\*日本病院会/);
    expect(first).toContain('架電 3/3 件 / tried 3 of 3');
    expect(first).toContain('⚠️ 全連絡先に架電済み');
    expect(first).not.toContain('期限超過');
    const second = texts[head2 + 1] ?? '';
    expect(second).toMatch(/^・ \*\*日本医師会/);
    expect(second).toContain('架電 0/2 件 / tried 0 of 2');
    expect(second).toContain('⚠ 期限超過 / overdue (2026/11/25 19:15 JST)');
    expect(texts.join('\n')).not.toMatch(/連絡先 \d\/\d|contact \d of \d/);
  });

  it('caps a sector-sized list with a "more" line and stays within the size limit, in one advisory or many', () => {
    const base = ONCALL_TASKS[1]!;
    const tasks = Array.from({ length: 1800 }, (_, i) => ({ ...base, taskId: `t-${i}`, memberName: { ja: `横浜市立第${i}病院`, en: `Yokohama City Hospital No. ${i}` } }));
    const one: OncallListView = { groups: [{ advisoryId: base.advisoryId, title: base.title, tlp: base.tlp, severity: base.severity, drill: false, tasks }], tasks };
    const apart = tasks.map((t, i) => ({ ...t, advisoryId: `ADV-2026-${String(i).padStart(4, '0')}` }));
    const many: OncallListView = { groups: apart.map((t) => ({ advisoryId: t.advisoryId, title: t.title, tlp: t.tlp, severity: t.severity, drill: false, tasks: [t] })), tasks: apart };
    for (const view of [one, many]) {
      const card = oncallListCard(view);
      expect(JSON.stringify(card).length).toBeLessThanOrEqual(CARD_MAX_CHARS);
      const lines = markdownTexts(card).flatMap((t) => t.split('\n\n')).filter((t) => t.startsWith('・'));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(ROWS_MAX);
      const more = markdownTexts(card).find((t) => t.startsWith('➕')) as string;
      expect(more).toContain(`ほか ${(1800 - lines.length).toLocaleString('en-US')} 件`);
    }
  });

  it('says when nothing is open', () => {
    expect(markdownTexts(oncallListCard({ groups: [], tasks: [] }))).toContain('✅ 未完了の電話連絡はありません。\n\nNo open phone tasks.');
  });
});

describe('renderTeamsMessage', () => {
  it('renders every kind with a plain, label-first summary', () => {
    const adv = renderTeamsMessage({ kind: 'advisory', view: advisory() });
    expect(adv.text).toBe('[TLP:AMBER] 電子カルテシステムの脆弱性について');
    // The card carries the same summary as its fallback text, for clients that cannot show it.
    expect(adv.card).toEqual({ ...advisoryCard(advisory()), fallbackText: adv.text });

    const rem = renderTeamsMessage({ kind: 'reminder', view: reminder() });
    expect(rem.text).toBe('[TLP:AMBER] ⏰ 受領確認のお願い / Please acknowledge: ADV-2026-0042 電子カルテシステムの脆弱性について');
    // Mentions only inside the card: activity-level mention entities without <at> text in the activity are refused.
    expect(rem.entities).toBeUndefined();
    expect(rem.card.msteams.entities?.map((m) => m.mentioned.id)).toEqual(reminder().mention);

    const task = renderTeamsMessage({ kind: 'phone_task', view: phoneTask({ tlp: 'TLP:RED', drill: true }) });
    expect(task.text.startsWith('[TLP:RED] 【訓練】[DRILL] 📞 電話連絡 / Phone task: 日本病院会')).toBe(true);

    for (const n of NOTICES) {
      const out = renderTeamsMessage({ kind: 'notice', view: n });
      expect(out.text.startsWith(`[${n.tlp}] `)).toBe(true);
      expect(out.card).toEqual({ ...noticeCard(n), fallbackText: out.text });
      expect(out.entities).toBeUndefined();
    }
  });

  it('keeps the summary one short line that no Markdown reader turns into a link or mention', () => {
    const out = renderTeamsMessage({ kind: 'advisory', view: advisory({ title: `${HOSTILE}\n${'長'.repeat(400)}` }) });
    expect(out.text.startsWith('[TLP:AMBER] [銀行]\u2060(https://evil.example) **緊急** <\u2060at>Secretariat<\u2060/at> # 見出し "}]')).toBe(true);
    expect(out.text).not.toMatch(/\n|<at|\]\(/i);
    expect(out.text.length).toBeLessThanOrEqual(300);
    expect(out.text.endsWith('…')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('advisoryFormCard', () => {
  const form = advisoryFormCard(OPTIONS);
  const byId = inputs(form);

  it('has every input, with limits and defaults', () => {
    expect([...byId.keys()]).toEqual([
      FORM_INPUT.title,
      FORM_INPUT.body,
      FORM_INPUT.tlp,
      FORM_INPUT.severity,
      FORM_INPUT.category,
      FORM_INPUT.source,
      FORM_INPUT.targets,
      FORM_INPUT.groups,
      FORM_INPUT.organisations,
      FORM_INPUT.ackDeadline,
      FORM_INPUT.drill,
      FORM_INPUT.noEscalate,
    ]);
    expect(byId.get(FORM_INPUT.title)).toMatchObject({ type: 'Input.Text', isRequired: true, label: '件名 / Title' });
    expect(byId.get(FORM_INPUT.body)).toMatchObject({ type: 'Input.Text', isMultiline: true, isRequired: true });
    // No maxLength: a Teams client would cut a longer paste without a word; the core refuses it with the count.
    expect(byId.get(FORM_INPUT.title)).not.toHaveProperty('maxLength');
    expect(byId.get(FORM_INPUT.body)).not.toHaveProperty('maxLength');
    expect(byId.get(FORM_INPUT.tlp)).toMatchObject({ type: 'Input.ChoiceSet', value: 'TLP:AMBER' });
    expect(byId.get(FORM_INPUT.severity)).toMatchObject({ value: 'level2' });
    expect((byId.get(FORM_INPUT.severity)?.choices as { title: string }[])[0]?.title).toBe(
      'レベル4 危機 / Level 4 Critical (既定の期限 15分 / default deadline 15 minutes)',
    );
    expect(byId.get(FORM_INPUT.category)?.value).toBeUndefined();
    expect(byId.get(FORM_INPUT.targets)).toMatchObject({ isMultiSelect: true, style: 'expanded' });
    for (const id of [FORM_INPUT.groups, FORM_INPUT.organisations]) {
      expect(byId.get(id)).toMatchObject({ type: 'Input.ChoiceSet', isMultiSelect: true, style: 'filtered' });
    }
    expect((byId.get(FORM_INPUT.organisations)?.choices as { value: string }[]).map((c) => c.value)).toEqual(['jma', 'jha', 'mhlw']);
    const deadline = byId.get(FORM_INPUT.ackDeadline);
    expect(deadline?.value).toBe('default');
    expect((deadline?.choices as { value: string }[]).map((c) => c.value)).toEqual(['default', '15', '30', '60', '120', '240', '480', '1440', '4320']);
    expect(byId.get(FORM_INPUT.drill)).toMatchObject({ type: 'Input.Toggle', value: 'false', valueOn: 'true', valueOff: 'false' });
    expect(byId.get(FORM_INPUT.noEscalate)?.title).toBe('エスカレーションしない（レベル1・0のみ） / Do not escalate (level 1 and 0 only)');
    // The form's button shows the preview (preview-card.ts); the form key rides along to Send.
    expect(form.actions).toEqual([{ type: 'Action.Execute', title: '内容を確認 / Review', verb: ADVISORY_PREVIEW_VERB, data: { formKey: expect.stringMatching(/^[0-9a-f-]{36}$/) }, style: 'positive' }]);
  });

  it('leaves out what the directory and policies do not offer', () => {
    const ids = [...inputs(advisoryFormCard({ ...OPTIONS, groups: [], organisations: [], escalationOptional: [] })).keys()];
    expect(ids).not.toContain(FORM_INPUT.groups);
    expect(ids).not.toContain(FORM_INPUT.organisations);
    expect(ids).not.toContain(FORM_INPUT.noEscalate);
  });

  it('switches a sector-sized organisation list to typeahead search', () => {
    const organisations = Array.from({ length: 1800 }, (_, i) => ({ id: `city-${i}`, name: { ja: `市${i}`, en: `City ${i}` }, kind: 'member' as const }));
    const big = advisoryFormCard({ ...OPTIONS, organisations });
    expect(organisations.length).toBeGreaterThan(STATIC_CHOICES_MAX);
    const picker = inputs(big).get(FORM_INPUT.organisations);
    expect(picker?.['choices.data']).toEqual({ type: 'Data.Query', dataset: TARGET_DATASET.organisations });
    expect(picker?.choices).toEqual([]);
    expect(JSON.stringify(big).length).toBeLessThan(CARD_MAX_CHARS);
    // A returned form still shows the names of what was picked.
    const again = formErrorCard({ ...OPTIONS, organisations }, [], { [FORM_INPUT.organisations]: 'city-7,city-1200' });
    const picked = inputs(again).get(FORM_INPUT.organisations);
    expect((picked?.choices as { value: string }[]).map((c) => c.value)).toEqual(['city-7', 'city-1200']);
    expect(picked?.value).toBe('city-7,city-1200');
  });

  it('finds organisations by the beginning of their name, id, full-width input', () => {
    const orgs = [
      { id: 'yokohama', name: { ja: '横浜市', en: 'Yokohama City' } },
      { id: 'kanagawa', name: { ja: '神奈川県', en: 'Kanagawa Prefecture' } },
      { id: 'minato', name: { ja: '港区', en: 'Minato City' } },
    ];
    expect(targetSearchChoices('横浜', orgs).map((c) => c.value)).toEqual(['yokohama']);
    expect(targetSearchChoices('ＣＩＴＹ', orgs).map((c) => c.value)).toEqual(['yokohama', 'minato']);
    expect(targetSearchChoices('min', orgs)[0]).toEqual({ title: '港区 / Minato City · minato', value: 'minato' });
  });
});

/** What Teams sends on Action.Execute: the action's data merged with every input's value, as strings. */
function submitted(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    formKey: '00000000-0000-4000-8000-000000000000',
    [FORM_INPUT.title]: '  電子カルテの脆弱性について  ',
    [FORM_INPUT.body]: 'JVN より公表されました。\n[対象製品](https://evil.example) をご確認ください。',
    [FORM_INPUT.tlp]: 'TLP:AMBER+STRICT',
    [FORM_INPUT.severity]: 'level3',
    [FORM_INPUT.category]: 'vulnerability',
    [FORM_INPUT.source]: 'jpcert',
    [FORM_INPUT.targets]: 'observers',
    [FORM_INPUT.groups]: 'hospitals',
    [FORM_INPUT.organisations]: 'jma,jha',
    [FORM_INPUT.ackDeadline]: '120',
    [FORM_INPUT.drill]: 'true',
    [FORM_INPUT.noEscalate]: 'false',
    ...over,
  };
}

describe('parseAdvisoryForm', () => {
  it('reads a realistic submission', () => {
    expect(parseAdvisoryForm(submitted())).toEqual({
      ok: true,
      input: {
        title: '電子カルテの脆弱性について',
        body: 'JVN より公表されました。\n[対象製品](https://evil.example) をご確認ください。',
        tlp: 'TLP:AMBER+STRICT',
        severity: 'level3',
        category: 'vulnerability',
        source: 'jpcert',
        drill: true,
        targets: { allMembers: false, observers: true, groups: ['hospitals'], members: ['jma', 'jha'] },
        ackDeadlineMinutes: 120,
        escalate: true,
      },
    });
  });

  it('round-trips through the form: defaults, multi-selects, toggles', () => {
    const form = advisoryFormCard(OPTIONS);
    // Teams submits every input's current value; untouched inputs keep their defaults.
    const data: Record<string, unknown> = { formKey: '00000000-0000-4000-8000-000000000000' };
    for (const [id, input] of inputs(form)) data[id] = typeof input.value === 'string' ? input.value : '';
    Object.assign(data, {
      [FORM_INPUT.title]: '訓練用の注意喚起',
      [FORM_INPUT.body]: '本文',
      [FORM_INPUT.category]: 'notice',
      [FORM_INPUT.source]: 'nisc',
      [FORM_INPUT.severity]: 'level1',
      [FORM_INPUT.targets]: 'all_members,observers',
      [FORM_INPUT.organisations]: ' jma , jha,jma ',
      [FORM_INPUT.noEscalate]: 'true',
    });
    const parsed = parseAdvisoryForm(data);
    expect(parsed).toEqual({
      ok: true,
      input: {
        title: '訓練用の注意喚起',
        body: '本文',
        tlp: 'TLP:AMBER',
        severity: 'level1',
        category: 'notice',
        source: 'nisc',
        drill: false,
        targets: { allMembers: true, observers: true, groups: [], members: ['jma', 'jha'] },
        ackDeadlineMinutes: undefined,
        escalate: false,
      },
    });
  });

  it('reports every invalid field at once, each in both languages', () => {
    const result = parseAdvisoryForm({
      [FORM_INPUT.title]: '',
      [FORM_INPUT.body]: '   ',
      [FORM_INPUT.tlp]: 'TLP:PURPLE',
      [FORM_INPUT.severity]: '',
      [FORM_INPUT.source]: 'rumour',
      [FORM_INPUT.targets]: '',
      [FORM_INPUT.ackDeadline]: 'soon',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = new Map(result.errors.map((x) => [x.field, x.message]));
    expect([...byField.keys()].sort()).toEqual(
      [
        FORM_INPUT.title,
        FORM_INPUT.body,
        FORM_INPUT.tlp,
        FORM_INPUT.severity,
        FORM_INPUT.category,
        FORM_INPUT.source,
        FORM_INPUT.targets,
        FORM_INPUT.ackDeadline,
      ].sort(),
    );
    expect(byField.get(FORM_INPUT.title)).toBe('件名を入力してください。 / Enter the title.');
    expect(byField.get(FORM_INPUT.body)).toBe('本文を入力してください。 / Enter the body.');
    expect(byField.get(FORM_INPUT.tlp)).toBe('TLPの値が正しくありません。 / The TLP is not valid.');
    expect(byField.get(FORM_INPUT.severity)).toBe('深刻度を選択してください。 / Choose the severity.');
    expect(byField.get(FORM_INPUT.category)).toBe('種別を選択してください。 / Choose the category.');
    expect(byField.get(FORM_INPUT.source)).toBe('情報源の値が正しくありません。 / The source is not valid.');
    expect(byField.get(FORM_INPUT.targets)).toContain('宛先を少なくとも一つ指定してください');
    expect(byField.get(FORM_INPUT.ackDeadline)).toBe('受領確認期限の値が正しくありません。 / The acknowledgement deadline is not valid.');
    for (const x of result.errors) expect(x.message).toMatch(/[ぁ-んァ-ヶ一-龠].* \/ [A-Z]/);
  });

  it('reports too long a title, and refuses to skip escalation above level 1', () => {
    const result = parseAdvisoryForm(submitted({ [FORM_INPUT.title]: 'あ'.repeat(TITLE_MAX + 1), [FORM_INPUT.noEscalate]: 'true' }));
    expect(result).toEqual({
      ok: false,
      errors: [
        { field: FORM_INPUT.title, message: '件名は150文字以内です（151文字入力されています）。 / The title must be at most 150 characters (151 entered).' },
        {
          field: FORM_INPUT.noEscalate,
          message:
            'エスカレーションを止められるのは深刻度がレベル1・0の注意喚起だけです。チェックを外すか、深刻度を見直してください。 / Escalation can be turned off only for level 1 and 0 advisories. Untick the box or check the severity.',
        },
      ],
    });
  });

  it('ignores values of the wrong type rather than trusting them', () => {
    const result = parseAdvisoryForm(submitted({ [FORM_INPUT.tlp]: { toString: () => 'TLP:CLEAR' }, [FORM_INPUT.organisations]: ['jma'] }));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((x) => x.field)).toEqual([FORM_INPUT.tlp]);
  });
});

describe('formErrorCard', () => {
  it('lists the errors first and fills in what was typed', () => {
    const data = submitted({ [FORM_INPUT.title]: '', [FORM_INPUT.tlp]: 'TLP:PURPLE', [FORM_INPUT.body]: '"}]} <at>x</at>\n2 行目' });
    const result = parseAdvisoryForm(data);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const card = formErrorCard(OPTIONS, result.errors, data);
    expectCardShell(card);
    const top = card.body[0] as { type: string; style: string; items: { text: string }[] };
    expect(top).toMatchObject({ type: 'Container', style: 'attention' });
    expect(top.items.map((i) => i.text)).toEqual([
      '⚠️ 入力内容を確認してください / Please check the following',
      `• ${e('件名を入力してください。 / Enter the title.')}`,
      `• ${e('TLPの値が正しくありません。 / The TLP is not valid.')}`,
    ]);
    const byId = inputs(card);
    // Input values are plain text: shown exactly as typed, never escaped.
    expect(byId.get(FORM_INPUT.body)?.value).toBe('"}]} <at>x</at>\n2 行目');
    expect(byId.get(FORM_INPUT.title)?.value).toBeUndefined();
    expect(byId.get(FORM_INPUT.category)?.value).toBe('vulnerability');
    expect(byId.get(FORM_INPUT.organisations)?.value).toBe('jma,jha');
    expect(byId.get(FORM_INPUT.drill)?.value).toBe('true');
    expect(byId.get(FORM_INPUT.ackDeadline)?.value).toBe('120');
    // Each error also sits under its input.
    const after = card.body.findIndex((x) => x.id === FORM_INPUT.title);
    expect(card.body[after + 1]).toMatchObject({ type: 'TextBlock', color: 'attention' });
    expect(card.actions?.[0]).toMatchObject({ verb: ADVISORY_PREVIEW_VERB, data: { formKey: expect.any(String) } });
  });
});

describe('acknowledgement rounds: reminder, phone task, status', () => {
  const read = (card: unknown) => markdownTexts(card).map(unescapeCardText);

  it("a later round's reminder asks for its follow-up by the round's deadline and points to the follow-up's button", () => {
    const { card } = reminderCard(reminder({ followup: 3, ackDeadline: '2026-11-25T11:00:00.000Z' }));
    const texts = read(card);
    expect(texts).toContain('続報 #3 の受領確認をお願いします（期限 2026/11/25 20:00 JST）。\nPlease acknowledge follow-up #3 (by 2026/11/25 20:00 JST).');
    expect(texts).toContain('スレッド内の続報 #3 の「受領確認」ボタンを押してください。\nPress "Acknowledge" on follow-up #3 in the thread.');
    expect(texts).toContain('ADV-2026-0042 電子カルテシステムの脆弱性について');
    expect(texts.join('\n')).not.toContain('上の注意喚起メッセージ');
    expect(card.actions).toBeUndefined();
    // The mentions stay.
    expect(card.msteams.entities).toHaveLength(2);
  });

  it("a later round's reminder keeps the title inert", () => {
    const { card } = reminderCard(reminder({ followup: 2, title: HOSTILE, mention: [] }));
    for (const t of markdownTexts(card).filter((x) => x.includes('ADV-2026-0042'))) assertInert(t);
  });

  it('a phone task of a later round asks to tell them about the follow-up too, after the script (standard and TLP:RED)', () => {
    for (const script of ['standard', 'red'] as const) {
      const texts = read(phoneTaskCard(phoneTask({ script, round: { n: 2, followup: 3 } })));
      const line = texts.indexOf('📣 続報 #3（第2回受領確認）についても伝えてください\nAlso tell them about follow-up #3 (acknowledgement round 2)');
      expect(line).toBeGreaterThan(texts.findIndex((t) => t.includes('通話例')));
    }
    expect(read(phoneTaskCard(phoneTask())).join('\n')).not.toContain('についても伝えてください');
  });

  it('the status of a later round names the round, its follow-up and since when, before the counts', () => {
    const card = statusCard({ ...status([row(1, 'posted')]), round: { n: 2, followup: 3, since: '2026-11-25T09:30:00.000Z' } });
    const texts = read(card);
    const at = texts.indexOf('📣 第2回受領確認（続報 #3、2026/11/25 18:30 JSTから）\nAcknowledgement round 2 (follow-up #3, since 2026/11/25 18:30 JST)');
    expect(at).toBeGreaterThan(0);
    expect(texts.indexOf('合計 / Total')).toBe(at + 1);
    expect(read(statusCard(status([row(1, 'posted')]))).join('\n')).not.toContain('受領確認（続報');
  });
});
