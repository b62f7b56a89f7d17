import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { Severity } from '../domain/classification.js';
import { DrillTemplateFile, drillTemplateTargetProblems, type DrillTemplate, type TemplateProblem } from '../domain/drill-template.js';
import { ESCALATION_OPTIONAL } from '../domain/escalation.js';
import { BotError } from '../errors.js';

/**
 * Loading the drill template (DRILL_TEMPLATE_FILE; the schema and what it means: src/domain/drill-template.ts),
 * at start-up as the escalation policies are: every problem at once, each with its line, or the template.
 */

/** Every problem at once, each on its own line: an operator fixing the file should not have to restart per typo. */
export class DrillTemplateError extends BotError {
  readonly problems: readonly TemplateProblem[];
  constructor(sourceName: string, problems: TemplateProblem[], options?: ErrorOptions) {
    const lines = problems.map((p) => `  - ${p.line === undefined ? sourceName : `${sourceName}:${p.line}:${p.column ?? 1}`}${p.path ? ` ${p.path}` : ''} — ${p.message}`);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super('CONFIG.INVALID', `drill template ${sourceName}: ${count}\n${lines.join('\n')}`, { sourceName, problems }, options);
    this.name = 'DrillTemplateError';
    this.problems = problems;
  }
}

/** The directory's ids, to check the template's targets against. */
export interface KnownTargets {
  groups: ReadonlySet<string>;
  organisations: ReadonlySet<string>;
}

export async function loadDrillTemplate(path: string, known?: KnownTargets): Promise<DrillTemplate> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const message = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(err as Error).message}`;
    throw new DrillTemplateError(path, [{ path: '', message }], { cause: err });
  }
  return parseDrillTemplate(text, path, known);
}

/** The template, or one error with every problem in it (and, given the directory's ids, every unknown target). */
export function parseDrillTemplate(text: string, sourceName: string, known?: KnownTargets): DrillTemplate {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    throw new DrillTemplateError(sourceName, doc.errors.map((e) => ({ path: '', ...at(e.pos[0]), message: e.message.split('\n', 1)[0] ?? e.message })));
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    throw new DrillTemplateError(sourceName, [{ path: '', line: 1, column: 1, message: (err as Error).message.split('\n', 1)[0] ?? 'cannot read' }], { cause: err });
  }
  const result = DrillTemplateFile.safeParse(data ?? {});
  const problems: TemplateProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => {
        const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
        const offset = issue.code === 'unrecognized_keys' ? keyOffset(doc, path, issue.keys[0]) ?? nodeOffset(doc, path) : nodeOffset(doc, path);
        const missing = (issue.code === 'invalid_type' || issue.code === 'invalid_value') && path.length > 0 && doc.getIn(path) === undefined;
        const message = !missing ? issue.message : issue.code === 'invalid_type' ? `required (${issue.expected}) but missing` : `required but missing: ${issue.message}`;
        return { path: formatPath(path), ...at(offset), message };
      });
  // Across fields, checked on the raw data so they are reported with the rest (zod skips an object's refinements
  // when one of its fields failed).
  const raw = (data ?? {}) as Record<string, unknown>;
  if (raw['escalate'] === false && typeof raw['severity'] === 'string' && Severity.safeParse(raw['severity']).success && !ESCALATION_OPTIONAL.includes(raw['severity'] as Severity)) {
    problems.push({
      path: 'escalate',
      ...at(nodeOffset(doc, ['escalate'])),
      message: `escalation can be turned off only for ${ESCALATION_OPTIONAL.join(' and ')} (severity is ${raw['severity']})`,
    });
  }
  // Targets the directory does not have, reported with the rest (and with their lines) whether or not the rest parsed.
  if (known) {
    const targets = DrillTemplateFile.shape.targets.safeParse(raw['targets']);
    if (targets.success && targets.data) {
      const t = DrillTemplateFile.parse({ ...DEFAULT_FOR_TARGETS, targets: targets.data });
      for (const p of drillTemplateTargetProblems(t, known)) {
        const path = p.path.replace(/\]/g, '').split(/[.[]/).map((k) => (/^\d+$/.test(k) ? Number(k) : k));
        problems.push({ ...p, ...at(nodeOffset(doc, path)) });
      }
    }
  }
  if (problems.length > 0 || !result.success) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new DrillTemplateError(sourceName, problems);
  }
  return result.data;
}

/** The template, its ids checked against the member directory: one error with every problem, or the template. */
export function loadCheckedDrillTemplate(path: string, known: KnownTargets): Promise<DrillTemplate> {
  return loadDrillTemplate(path, known);
}

/** A valid template around a file's targets alone, to check them when the rest of the file has problems. */
const DEFAULT_FOR_TARGETS = { title: '【訓練】', body: '-', tlp: 'TLP:GREEN', severity: 'level2' } as const;

type Key = string | number;

function nodeOffset(doc: Document, path: Key[]): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return isNode(doc.contents) && doc.contents.range ? doc.contents.range[0] : 0;
}

function keyOffset(doc: Document, path: Key[], key: string | undefined): number | undefined {
  const map: unknown = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
  return isNode(pair?.key) ? pair.key.range?.[0] : undefined;
}

function formatPath(path: Key[]): string {
  if (path.length === 0) return '(root)';
  return path.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '');
}
