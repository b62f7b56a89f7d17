import type { Bilingual } from '../../src/i18n/text.js';

/**
 * Texts only the Slack adapter shows: the modal's frame and the body hint about Slack's input limit. The
 * texts every chat adapter shows are in src/i18n (chat-text.ts, form-text.ts, phone-text.ts,
 * failure-text.ts). Japanese first, English second, as everywhere.
 */
export const ST = {
  modalTitle: { ja: '注意喚起', en: 'Advisory' },
  modalClose: { ja: 'キャンセル', en: 'Cancel' },
  bodyHint: {
    ja: 'Slack の入力欄は 3,000 文字までです。それより長い本文は要約し、詳細の参照先を記載してください。',
    en: 'Slack input fields hold up to 3,000 characters. Summarise longer text and say where the details are.',
  },
} as const satisfies Record<string, Bilingual>;
