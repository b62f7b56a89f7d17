import { readFile } from 'node:fs/promises';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { BotError } from '../errors.js';
import { Directory } from './directory.js';
import { DirectoryFile } from './schema.js';

export interface DirectoryProblem {
  /** Where in the data, e.g. `organisations[3].contacts[0].phone`; empty for a YAML syntax error or an unreadable file. */
  path: string;
  line?: number;
  column?: number;
  message: string;
}

/** Every problem in the file at once: an operator fixing a directory should not have to re-run it per typo. */
export class DirectoryError extends BotError {
  readonly problems: readonly DirectoryProblem[];
  constructor(sourceName: string, problems: DirectoryProblem[], options?: ErrorOptions) {
    const lines = problems.map((p) => formatProblem(sourceName, p));
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super('DIRECTORY.INVALID', `member directory ${sourceName}: ${count}\n${lines.join('\n')}`, { sourceName, problems }, options);
    this.name = 'DirectoryError';
    this.problems = problems;
  }
}

export function formatProblem(sourceName: string, p: DirectoryProblem): string {
  const where = p.line === undefined ? sourceName : `${sourceName}:${p.line}:${p.column ?? 1}`;
  return `${where}${p.path ? ` ${p.path}` : ''} — ${p.message}`;
}

export async function loadDirectory(path: string): Promise<Directory> {
  return new Directory(await loadDirectoryFile(path));
}

/** The validated file itself, for a caller that adapts it before building the Directory (the local workspace). */
export async function loadDirectoryFile(path: string): Promise<DirectoryFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const message = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read the file: ${(err as Error).message}`;
    throw new DirectoryError(path, [{ path: '', message }], { cause: err });
  }
  return parseDirectoryFile(text, path);
}

export function parseDirectory(text: string, sourceName: string): Directory {
  return new Directory(parseDirectoryFile(text, sourceName));
}

export function parseDirectoryFile(text: string, sourceName: string): DirectoryFile {
  const lineCounter = new LineCounter();
  // prettyErrors off: the message must stay one line; the position comes from the line counter.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    throw new DirectoryError(
      sourceName,
      doc.errors.map((e) => ({ path: '', ...at(e.pos[0]), message: firstLine(e.message) })),
    );
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    // e.g. an alias bomb: the yaml package refuses to expand it.
    throw new DirectoryError(sourceName, [{ path: '', line: 1, column: 1, message: firstLine((err as Error).message) }], { cause: err });
  }

  const result = DirectoryFile.safeParse(data);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => toProblem(issue, doc, at));
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new DirectoryError(sourceName, problems);
  }
  return result.data;
}

type Key = string | number;

function toProblem(issue: z.core.$ZodIssue, doc: Document, at: (offset: number) => { line: number; column: number }): DirectoryProblem {
  const path = issue.path.filter((k): k is Key => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    // Point at the misspelt key itself, not at the start of the mapping that holds it.
    const offset = keyOffset(doc, path, issue.keys[0]);
    if (offset !== undefined) return { path: formatPath(path), ...at(offset), message: issue.message };
  }
  const found = locate(doc, path);
  const missing = found.depth < path.length;
  const message = missing && issue.code === 'invalid_type' ? `required (${issue.expected}) but missing` : issue.message;
  return { path: formatPath(path), ...(found.offset === undefined ? {} : at(found.offset)), message };
}

/** The node at `path`, or when that is missing (a left-out field) the nearest parent that exists. */
function locate(doc: Document, path: Key[]): { offset: number | undefined; depth: number } {
  for (let depth = path.length; depth > 0; depth--) {
    const node: unknown = doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return { offset: node.range[0], depth };
  }
  const root = doc.contents;
  return { offset: isNode(root) && root.range ? root.range[0] : 0, depth: 0 };
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

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}
