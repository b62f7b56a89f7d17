import type { Tlp } from '../domain/classification.js';
import type { DeliveryState } from '../domain/delivery.js';

/** A square the colour of the TLP label, so the label reads as TLP where no colour can be drawn. */
export const TLP_SQUARE: Record<Tlp, string> = {
  'TLP:RED': '🟥',
  'TLP:AMBER+STRICT': '🟧',
  'TLP:AMBER': '🟧',
  'TLP:GREEN': '🟩',
  'TLP:CLEAR': '⬜',
};

/** The mark in front of a member's row in the status. */
export const STATE_MARK: Record<DeliveryState, string> = {
  queued: '🕒',
  posted: '⏳',
  acknowledged: '✅',
  failed: '⚠️',
  cancelled: '⛔',
};
