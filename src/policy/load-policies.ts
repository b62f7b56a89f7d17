import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';
import { SEVERITIES } from '../domain/classification.js';
import { DEFAULT_POLICIES, EscalationPolicy, type EscalationPolicies } from '../domain/escalation.js';
import { BotError } from '../errors.js';

/** The file may set any subset of severities; the rest keep the built-in defaults. */
const PolicyFile = z
  .object({ policies: z.object(Object.fromEntries(SEVERITIES.map((s) => [s, EscalationPolicy.optional()]))).strict() })
  .strict();

export function parsePolicies(text: string, sourceName: string): EscalationPolicies {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (err) {
    throw new BotError('CONFIG.INVALID', `${sourceName}: not valid YAML: ${(err as Error).message}`, { sourceName }, { cause: err });
  }
  const parsed = PolicyFile.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${sourceName} ${i.path.join('.')}: ${i.message}`);
    throw new BotError('CONFIG.INVALID', `escalation policies are not valid:\n${problems.join('\n')}`, { sourceName });
  }
  const merged = { ...DEFAULT_POLICIES };
  for (const s of SEVERITIES) {
    const p = parsed.data.policies[s];
    if (p) merged[s] = p;
  }
  return merged;
}

/** A missing file means the built-in defaults; a bad file stops start-up with every problem. */
export async function loadPolicies(path: string | undefined): Promise<EscalationPolicies> {
  if (!path) return DEFAULT_POLICIES;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BotError('CONFIG.INVALID', `${path}: cannot read the escalation policy file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { path }, { cause: err });
  }
  return parsePolicies(text, path);
}
