import type { AlertDigestView, AlertMemberView } from '../../src/view/views.js';

/** A grouped alert's member, silent and untouched unless `extra` says otherwise; names sort as numbered. */
export function alertMember(i: number, extra: Partial<AlertMemberView> = {}): AlertMemberView {
  const k = String(i).padStart(2, '0');
  return { memberName: { ja: `構成員${k}`, en: `Member ${k}` }, state: 'posted', attempts: 0, wrongNumbers: [], ...extra };
}

/** One silent member in wave 1 of an escalation alert; spread to change it. */
export const ALERT_DIGEST: AlertDigestView = {
  kind: 'alert_digest',
  alert: 'escalation',
  advisoryId: 'ADV-2026-0042',
  title: '電子カルテシステムの脆弱性について',
  tlp: 'TLP:AMBER',
  drill: false,
  wave: 1,
  openedAt: '2026-11-25T01:00:00.000Z',
  members: [alertMember(1)],
  more: 0,
  total: 1,
  resolved: 0,
  asOf: '2026-11-25T01:06:00.000Z',
};

/** `n` silent members listed of `total` (the core lists at most 50 and counts the rest). */
export function manyMembers(n: number, total = n): AlertDigestView {
  return { ...ALERT_DIGEST, members: Array.from({ length: n }, (_, i) => alertMember(i)), total, more: total - n };
}
