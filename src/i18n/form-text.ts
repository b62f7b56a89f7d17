import { formatCount, type Bilingual } from './text.js';

/** The words of the advisory form (the Slack modal, the Teams dialog): choices and validation messages. */

/** "レベル1・0" / "level 1 and 0", from severity ids such as 'level1'. */
export function levelsText(levels: readonly string[]): Bilingual {
  const n = levels.map((l) => l.replace(/^level/, ''));
  const en = n.length <= 1 ? n.join('') : `${n.slice(0, -1).join(', ')} and ${n[n.length - 1]}`;
  return { ja: `レベル${n.join('・')}`, en: `level ${en}` };
}

export function noEscalateOption(levels: readonly string[]): Bilingual {
  const l = levelsText(levels);
  return { ja: `エスカレーションしない（${l.ja}のみ）`, en: `Do not escalate (${l.en} only)` };
}

export function escalateNotAllowed(levels: readonly string[]): Bilingual {
  const l = levelsText(levels);
  return {
    ja: `エスカレーションを止められるのは深刻度が${l.ja}の注意喚起だけです。チェックを外すか、深刻度を見直してください。`,
    en: `Escalation can be turned off only for ${l.en} advisories. Untick the box or check the severity.`,
  };
}

/** "15分 / 15 minutes", "72時間 / 72 hours": a deadline the form offers, in whole minutes. */
export function durationText(minutes: number): Bilingual {
  return secondsText(minutes * 60);
}

const unit = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * A deadline's length, exact, never rounded: "90秒 / 90 seconds", "15分 / 15 minutes", "1時間30分 /
 * 1 hour 30 minutes", "2分30秒 / 2 minutes 30 seconds", "72時間 / 72 hours" (hours, not days, because the
 * forms list their choices in hours). Under two minutes, a length that is not whole minutes is said in seconds.
 */
export function secondsText(seconds: number): Bilingual {
  const total = Math.max(0, Math.round(seconds));
  if (total < 120 && total % 60 !== 0) return { ja: `${formatCount(total)}秒`, en: unit(total, 'second', 'seconds') };
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [
    { n: h, ja: `${formatCount(h)}時間`, en: unit(h, 'hour', 'hours') },
    { n: m, ja: `${m}分`, en: unit(m, 'minute', 'minutes') },
    { n: s, ja: `${s}秒`, en: unit(s, 'second', 'seconds') },
  ].filter((p) => p.n > 0);
  if (parts.length === 0) return { ja: '0秒', en: '0 seconds' };
  return { ja: parts.map((p) => p.ja).join(''), en: parts.map((p) => p.en).join(' ') };
}

/** "既定の期限 90秒 / default deadline 90 seconds": a severity's default, from its policy in seconds. */
export function severityDefaultText(seconds: number): Bilingual {
  const d = secondsText(seconds);
  return { ja: `既定の期限 ${d.ja}`, en: `default deadline ${d.en}` };
}

/** How the validation messages name each field: the labels are headings, these fit inside a sentence. */
export const FIELD_NOUN = {
  title: { ja: '件名', en: 'title' },
  body: { ja: '本文', en: 'body' },
  tlp: { ja: 'TLP', en: 'TLP' },
  severity: { ja: '深刻度', en: 'severity' },
  category: { ja: '種別', en: 'category' },
  source: { ja: '情報源', en: 'source' },
  drill: { ja: '訓練の指定', en: 'drill flag' },
  ackDeadline: { ja: '受領確認期限', en: 'acknowledgement deadline' },
  targets: { ja: '宛先', en: 'targets' },
  groups: { ja: 'グループ', en: 'groups' },
  organisations: { ja: '構成員', en: 'organisations' },
  escalate: { ja: 'エスカレーションの指定', en: 'escalation setting' },
} as const satisfies Record<string, Bilingual>;

/** Validation messages shown under a modal field; `field` is a FIELD_NOUN. */
export const FIELD_ERROR = {
  required: (field: Bilingual): Bilingual => ({ ja: `${field.ja}を入力してください。`, en: `Enter the ${field.en}.` }),
  choose: (field: Bilingual): Bilingual => ({ ja: `${field.ja}を選択してください。`, en: `Choose the ${field.en}.` }),
  /** With what was entered, so a paste over the limit is answered with its size, never cut to fit. */
  tooLong: (field: Bilingual, max: number, entered?: number): Bilingual =>
    entered === undefined
      ? { ja: `${field.ja}は${formatCount(max)}文字以内です。`, en: `The ${field.en} must be at most ${formatCount(max)} characters.` }
      : {
          ja: `${field.ja}は${formatCount(max)}文字以内です（${formatCount(entered)}文字入力されています）。`,
          en: `The ${field.en} must be at most ${formatCount(max)} characters (${formatCount(entered)} entered).`,
        },
  noTarget: {
    ja: '宛先を少なくとも一つ指定してください（全構成員・オブザーバー・グループ・個別の構成員）。',
    en: 'Choose at least one target (all members, observers, a group or an organisation).',
  } satisfies Bilingual,
  invalid: (field: Bilingual): Bilingual => ({ ja: `${field.ja}の値が正しくありません。`, en: `The ${field.en} is not valid.` }),
  noChannel: { ja: '選択した宛先にはチャンネルのある構成員がいません。', en: 'None of the chosen targets has a channel.' } satisfies Bilingual,
};
