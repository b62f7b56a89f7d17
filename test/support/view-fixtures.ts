/** View models as the core fills them, for renderer and chat-port tests of every platform. */
import type { AdvisoryView } from '../../src/view/views.js';

export function anAdvisoryView(over: Partial<AdvisoryView> = {}): AdvisoryView {
  return {
    advisoryId: 'ADV-2026-0042',
    deliveryId: 'dlv-0001',
    title: '電子カルテシステムの脆弱性について',
    body: '厚生労働省より、以下の脆弱性について注意喚起がありました。\n対象製品をご確認ください。',
    tlp: 'TLP:AMBER',
    severity: 'level3',
    category: 'vulnerability',
    source: 'mhlw',
    drill: false,
    issuedAt: '2026-11-25T09:00:00.000Z',
    ackDeadline: '2026-11-25T10:00:00.000Z',
    memberName: { ja: '日本病院会', en: 'Japan Hospital Association' },
    audience: 'channel',
    alsoSeenBy: [],
    revision: 1,
    corrections: [],
    ...over,
  };
}

/** The plainer English advisory the chat-port tests assert on. */
export function aChatTestView(deliveryId: string, patch: Partial<AdvisoryView> = {}): AdvisoryView {
  return anAdvisoryView({
    advisoryId: 'ADV-1',
    deliveryId,
    title: 'Patch the VPN appliance',
    body: 'CVE-2025-0001 is exploited in the wild.',
    source: 'nisc',
    issuedAt: '2025-01-01T00:00:00.000Z',
    ackDeadline: '2025-01-01T06:00:00.000Z',
    memberName: { ja: '医療機関A', en: 'Hospital A' },
    ...patch,
  });
}
