import type { Category, Severity, Source, Tlp } from '../domain/classification.js';
import { PLATFORMS, type Platform } from '../domain/platform.js';
import type { LocalisedName } from '../directory/schema.js';
import { FAILURE_TEXT } from '../i18n/failure-text.js';
import {
  deadlineText,
  deliveriesText,
  PLATFORM_TEXT,
  platformShareText,
  PREVIEW_TEXT,
  redDirectText,
  redPhoneOnlyText,
  sampleText,
  sharedCheckedText,
} from '../i18n/preview-text.js';
import { CATEGORY_TEXT, formatTokyo, SEVERITY_TEXT, T, TLP_TEXT, type Bilingual } from '../i18n/text.js';
import type { AdvisoryView } from './views.js';
import type { DrillPlan } from '../domain/drill-plan.js';
import { drillPreviewText } from '../i18n/drill-text.js';

/**
 * What an advisory would be if it were sent now: the message as members will see it, its classification,
 * and who it would reach, by which means, and who it would not reach and why. Built from the directory
 * alone (no platform is asked), so every form can show it within a platform's acknowledgement time.
 */
export interface PreviewView {
  /**
   * Identifies what was previewed: the validated input, the escalation policy and every recipient (channels,
   * direct-message identities, refusals). Sending with a digest that no longer matches is refused, so what is
   * sent is what the secretariat saw.
   */
  digest: string;
  /** The message exactly as the delivery renders it, for the first recipient (`sampleMember`). */
  message: AdvisoryView;
  sampleMember: LocalisedName;
  tlp: Tlp;
  severity: Severity;
  category: Category;
  source: Source;
  drill: boolean;
  /**
   * A drill's schedule as Send would record it: unannounced, or announced now for a window (the drill then goes
   * out at the window's start, and `ackDeadline` counts from there). Absent for a real advisory.
   */
  drillPlan?: DrillPlan | undefined;
  /** Whether silent members climb the escalation ladder. */
  escalate: boolean;
  /** The deadline if it were sent now, and how long after sending it falls. */
  ackDeadline: string;
  /** Seconds, as the policy has them: a 90-second demo deadline reads "90秒", not "2分". */
  ackDeadlineSeconds: number;
  /** Organisations targeted (with or without a channel). */
  organisations: number;
  /** Deliveries the advisory will have: one per targeted member channel. */
  deliveries: number;
  /** Per platform with at least one delivery, in PLATFORMS order. */
  platforms: PlatformShare[];
  /** TLP:RED only: the direct messages it will send. */
  direct?: { contacts: number; members: number; phoneOnly: number } | undefined;
  /** AMBER+STRICT: platforms that check a channel's sharing themselves when posting, beyond the directory's flag. */
  sharedCheckedAtSend: Platform[];
  /** Targets that will not get it in chat, and why; in directory order. */
  problems: PreviewProblem[];
}

export interface PlatformShare {
  platform: Platform;
  deliveries: number;
  /** Posts into member channels (every TLP but RED). */
  channelPosts: number;
  /** Direct messages to contacts (TLP:RED). */
  directMessages: number;
}

/** The core's delivery failure reasons a preview can foresee, and NO_CHANNEL (no delivery at all). */
export type PreviewProblemReason = 'NO_CHANNEL' | 'PLATFORM_NOT_CONFIGURED' | 'TLP_SHARED_CHANNEL' | 'RED_NO_RECIPIENTS';

export interface PreviewProblem {
  memberId: string;
  memberName: LocalisedName;
  reason: PreviewProblemReason;
  /** The channel concerned; absent for NO_CHANNEL. */
  platform?: Platform | undefined;
  channelId?: string | undefined;
  /** What happens instead: a failed delivery goes to the phone step (or only alerts), no channel means nothing in chat. */
  then: 'phone' | 'alert' | 'nothing';
}

/** The preview worded for people: every platform shows these lines, in this order. */
export interface PreviewLines {
  heading: Bilingual;
  intro: Bilingual;
  facts: [Bilingual, Bilingual][];
  recipients: Bilingual[];
  /** One line per problem; `noProblems` when there are none. */
  problems: Bilingual[];
  sample: Bilingual;
  numberOnSend: Bilingual;
}

export function emptyShares(): Record<Platform, PlatformShare> {
  return Object.fromEntries(PLATFORMS.map((p) => [p, { platform: p, deliveries: 0, channelPosts: 0, directMessages: 0 }])) as Record<Platform, PlatformShare>;
}

const THEN_TEXT: Record<PreviewProblem['then'], Bilingual> = {
  phone: PREVIEW_TEXT.thenPhone,
  alert: PREVIEW_TEXT.thenAlert,
  nothing: PREVIEW_TEXT.thenNothing,
};

function reasonText(reason: PreviewProblemReason): Bilingual {
  return reason === 'NO_CHANNEL' ? PREVIEW_TEXT.noChannel : FAILURE_TEXT[reason];
}

/** "⚠️ 日本歯科医師会（Microsoft Teams）: reason → then". */
export function problemLine(p: PreviewProblem): Bilingual {
  const where = p.platform === undefined ? { ja: '', en: '' } : { ja: `（${PLATFORM_TEXT[p.platform].ja}）`, en: ` (${PLATFORM_TEXT[p.platform].en})` };
  const why = reasonText(p.reason);
  const then = THEN_TEXT[p.then];
  return {
    ja: `${p.memberName.ja}${where.ja}: ${why.ja} → ${then.ja}`,
    en: `${p.memberName.en}${where.en}: ${why.en} → ${then.en}`,
  };
}

export function previewLines(v: PreviewView): PreviewLines {
  const red = v.direct !== undefined;
  const recipients: Bilingual[] = [deliveriesText(v.deliveries, v.organisations), ...v.platforms.map((s) => platformShareText(s.platform, s, red))];
  if (v.direct) {
    recipients.push(redDirectText(v.direct.contacts, v.direct.members));
    if (v.direct.phoneOnly > 0) recipients.push(redPhoneOnlyText(v.direct.phoneOnly));
  }
  if (v.sharedCheckedAtSend.length > 0) recipients.push(sharedCheckedText(v.sharedCheckedAtSend));
  return {
    heading: PREVIEW_TEXT.heading,
    intro: PREVIEW_TEXT.intro,
    facts: [
      [PREVIEW_TEXT.tlp, { ja: `${v.tlp} — ${TLP_TEXT[v.tlp].ja}`, en: `${v.tlp} — ${TLP_TEXT[v.tlp].en}` }],
      [T.severity, SEVERITY_TEXT[v.severity]],
      [T.category, CATEGORY_TEXT[v.category]],
      [T.ackDeadline, deadlineText(formatTokyo(v.ackDeadline), v.ackDeadlineSeconds)],
      [PREVIEW_TEXT.drill, v.drill ? drillPreviewText(v.drillPlan) : PREVIEW_TEXT.drillNo],
      [PREVIEW_TEXT.escalation, v.escalate ? PREVIEW_TEXT.escalationOn : PREVIEW_TEXT.escalationOff],
    ],
    recipients,
    problems: v.problems.length === 0 ? [PREVIEW_TEXT.noProblems] : v.problems.map(problemLine),
    sample: sampleText(v.sampleMember),
    numberOnSend: PREVIEW_TEXT.numberOnSend,
  };
}
