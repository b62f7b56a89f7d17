import { z } from 'zod';
import { BODY_MAX, DEADLINE_MAX_MINUTES, TITLE_MAX, type AdvisoryInput } from './advisory.js';
import { Category, Severity, Source, Tlp } from './classification.js';
import { DRILL_ANNOUNCE_AHEAD_MAX_DAYS, DRILL_WINDOW_MAX_DAYS } from './drill-plan.js';
import { multiLineText, oneLineText } from './text-input.js';

/**
 * The drill template (config/drill-template.example.yaml, DRILL_TEMPLATE_FILE): what `/advisory drill` fills the
 * advisory form with. Loaded and checked at start-up like the directory and the escalation policies
 * (src/policy/load-drill-template.ts): a template with mistakes stops the start with every problem listed, each with
 * its line. Its group and organisation ids are checked against the member directory (drillTemplateTargetProblems).
 */

/** Every drill's title says so, so that a copy forwarded without its banner still reads as a drill. */
export const DRILL_TITLE_MARK = '【訓練】';

const MINUTES_AHEAD_MAX = DRILL_ANNOUNCE_AHEAD_MAX_DAYS * 24 * 60;
const WINDOW_MINUTES_MAX = DRILL_WINDOW_MAX_DAYS * 24 * 60;

export const DrillTemplateFile = z
  .object({
    title: oneLineText(TITLE_MAX).refine((t) => t.includes(DRILL_TITLE_MARK), { message: `must contain ${DRILL_TITLE_MARK}` }),
    body: multiLineText(BODY_MAX),
    tlp: Tlp,
    severity: Severity,
    category: Category.default('notice'),
    source: Source.default('other'),
    ackDeadlineMinutes: z.number().int().min(1).max(DEADLINE_MAX_MINUTES).optional(),
    escalate: z.boolean().default(true),
    targets: z
      .object({
        allMembers: z.boolean().default(false),
        observers: z.boolean().default(false),
        groups: z.array(z.string().min(1)).default([]),
        members: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
    schedule: z
      .object({
        announce: z.boolean().default(false),
        startsInMinutes: z.number().int().min(0).max(MINUTES_AHEAD_MAX).default(24 * 60),
        lengthMinutes: z.number().int().min(1).max(WINDOW_MINUTES_MAX).default(120),
      })
      .strict()
      .default({ announce: false, startsInMinutes: 24 * 60, lengthMinutes: 120 }),
  })
  .strict();
export type DrillTemplate = z.output<typeof DrillTemplateFile>;

/**
 * The built-in template, used where none was loaded (a core built without one, as in tests). It is what
 * config/drill-template.example.yaml says (a test keeps the two the same).
 */
export const DEFAULT_DRILL_TEMPLATE: DrillTemplate = {
  title: '【訓練】情報伝達訓練（受領確認のお願い） / [DRILL] Information-sharing drill — please acknowledge',
  body: [
    'これは訓練です。実際の事案ではありません。',
    'セプターの情報共有体制が機能しているかを確かめるため、事務局から構成員の皆さまへ情報伝達訓練を行っています。',
    'このメッセージを受け取った担当の方は、内容を確認したら「受領確認」ボタンを押してください。',
    '期限までに受領確認がない場合は、訓練として事務局（電話当番）から登録された連絡先へお電話します。',
    'お電話を受けた場合も、訓練としてご対応ください。結果は訓練の報告（疎通確認率）にまとめます。',
    '',
    'This is a drill. It is not about a real incident.',
    'The secretariat is testing that information reaches every member of the sector.',
    'If you receive this message, read it and press the "Acknowledge" button.',
    "If it is not acknowledged by the deadline, the secretariat's on-call staff will phone your registered contacts as part of the drill.",
    "Please treat such a call as part of the drill. The results go into the drill's reach report.",
  ].join('\n'),
  tlp: 'TLP:GREEN',
  severity: 'level2',
  category: 'notice',
  source: 'other',
  escalate: true,
  targets: { allMembers: true, observers: false, groups: [], members: [] },
  schedule: { announce: false, startsInMinutes: 1440, lengthMinutes: 120 },
};

/** One problem with the template: where (the data's path, and the line in the file when known) and what. */
export interface TemplateProblem {
  path: string;
  line?: number | undefined;
  column?: number | undefined;
  message: string;
}

/** The template's groups and organisations that the directory does not have (checked at start-up). */
export function drillTemplateTargetProblems(template: DrillTemplate, known: { groups: ReadonlySet<string>; organisations: ReadonlySet<string> }): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  template.targets?.groups.forEach((g, i) => {
    if (!known.groups.has(g)) problems.push({ path: `targets.groups[${i}]`, message: `no group "${g}" in the member directory` });
  });
  template.targets?.members.forEach((m, i) => {
    if (!known.organisations.has(m)) problems.push({ path: `targets.members[${i}]`, message: `no organisation "${m}" in the member directory` });
  });
  return problems;
}

/**
 * The advisory form's entries from the template, as of `now`: a drill, the template's content and targets (all
 * members when it names none), and the schedule it offers (the window starts `startsInMinutes` from now, on the
 * minute, and lasts `lengthMinutes`).
 */
export function drillFormEntries(template: DrillTemplate, now: Date): AdvisoryInput {
  const t = template.targets;
  const named = t !== undefined && (t.allMembers || t.observers || t.groups.length > 0 || t.members.length > 0);
  const start = Math.ceil((now.getTime() + template.schedule.startsInMinutes * 60_000) / 60_000) * 60_000;
  const end = start + template.schedule.lengthMinutes * 60_000;
  return {
    title: template.title,
    body: template.body,
    tlp: template.tlp,
    severity: template.severity,
    category: template.category,
    source: template.source,
    drill: true,
    drillPlan: { announce: template.schedule.announce, from: new Date(start).toISOString(), to: new Date(end).toISOString() },
    targets: named ? { ...t } : { allMembers: true, observers: false, groups: [], members: [] },
    ...(template.ackDeadlineMinutes !== undefined ? { ackDeadlineMinutes: template.ackDeadlineMinutes } : {}),
    escalate: template.escalate,
  };
}
