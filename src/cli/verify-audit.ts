import { parseArgs } from 'node:util';
import { verifyAudit, type AuditVerification } from '../commands/verify-audit.js';
import type { ChainAnchor, ChainReport } from '../domain/audit-chain.js';
import { chainName, describeProblem, PROBLEM_KIND_TEXT } from '../i18n/audit-text.js';
import { both, formatCount, type Bilingual } from '../i18n/text.js';
import type { OpenedStore } from '../store/open-store.js';
import { EXIT, type CliContext, type CliSubcommand, type ExitCode } from './subcommand.js';

/**
 * `npm run cli -- verify-audit [CHAIN …] [--anchor [CHAIN:]SEQ:HASH …] [--json]`; `npm run
 * audit:verify` is the same with no chain: every chain the store knows. A chain is an advisory id,
 * or (none) for the events of no advisory. Exit 0 when every chain checked is intact, 1 when a
 * problem was found (the first broken link is named), 2 for a wrong command line, 3 when the
 * store cannot be opened or read.
 */

const SYNOPSIS = 'verify-audit [ADV-… | (none)]… [--anchor [ADV-…:]SEQ:SHA256]… [--json]';
const HASH = /^[0-9a-f]{64}$/i;

class UsageError extends Error {
  constructor(readonly text: Bilingual) {
    super(text.en);
  }
}

/** `CHAIN:SEQ:HASH`, or `SEQ:HASH` when exactly one chain was named. */
export function parseAnchor(value: string, chains: readonly string[]): { chain: string; anchor: ChainAnchor } {
  const parts = value.split(':');
  const hash = parts.pop() ?? '';
  const seqText = parts.pop() ?? '';
  const chain = parts.length > 0 ? parts.join(':') : chains.length === 1 ? chains[0] : undefined;
  const seq = Number(seqText);
  if (!HASH.test(hash) || !/^[1-9][0-9]*$/.test(seqText) || !Number.isSafeInteger(seq)) {
    throw new UsageError({
      ja: `--anchor の形式が正しくありません: ${value}（注意喚起ID:seq:SHA-256 の16進 64 桁）`,
      en: `--anchor is not valid: ${value} (ADVISORY-ID:SEQ:64 hex digits of SHA-256)`,
    });
  }
  if (chain === undefined) {
    throw new UsageError({
      ja: `--anchor ${value} がどの注意喚起のものか分かりません。注意喚起ID:seq:ハッシュ と書いてください。`,
      en: `--anchor ${value} does not say which advisory it is for: write ADVISORY-ID:SEQ:HASH.`,
    });
  }
  return { chain, anchor: { seq, hash: hash.toLowerCase() } };
}

interface Parsed {
  chains: string[];
  anchors: Map<string, ChainAnchor[]>;
  json: boolean;
  help: boolean;
}

function parse(args: string[]): Parsed {
  let values: { anchor?: string[]; json?: boolean; help?: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { anchor: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError({ ja: `コマンドラインが正しくありません: ${message}`, en: `The command line is not valid: ${message}` });
  }
  const chains = [...new Set(positionals)];
  const anchors = new Map<string, ChainAnchor[]>();
  for (const value of values.anchor ?? []) {
    const { chain, anchor } = parseAnchor(value, chains);
    anchors.set(chain, [...(anchors.get(chain) ?? []), anchor]);
  }
  // An anchor for a chain not named would not be checked if chains were named: check it too.
  if (chains.length > 0) for (const chain of anchors.keys()) if (!chains.includes(chain)) chains.push(chain);
  return { chains, anchors, json: values.json === true, help: values.help === true };
}

const help = (): string =>
  [
    `npm run cli -- ${SYNOPSIS}`,
    'npm run audit:verify  （すべての連鎖 / every chain）',
    '',
    '監査ログのハッシュ連鎖を検証し、最初の破損箇所（連鎖・seq・イベント ID・内容）を示します。',
    "Verifies the audit log's hash chains and names the first broken link (chain, seq, event id, what is wrong).",
    '  ADV-…      検証する注意喚起（省略時はすべて）/ advisories to check (default: all); (none) = 注意喚起に属さないイベント / events of no advisory',
    '  --anchor   外部に記録した先頭（終了時の要約に記載）と照合 / check against a head recorded outside (the closing summary)',
    '  --json     機械可読な出力 / machine-readable output',
    '終了コード / Exit codes: 0 異常なし / intact; 1 改ざん・欠落を検出 / tampering or loss found; 2 使い方の誤り / usage; 3 ストアを開けない / store unavailable',
  ].join('\n');

function chainLine(report: ChainReport): string {
  const mark = report.ok ? 'OK ' : 'NG ';
  const last = report.last ? `seq ${report.last.seq} sha256:${report.last.hash}` : '-';
  const unanchored = report.unanchored > 0 ? `  先頭記録の先に ${report.unanchored} 件 / ${report.unanchored} beyond the head record` : '';
  const problems = report.ok ? '' : `  問題 ${report.problemCount} 件 / ${report.problemCount} problem(s)`;
  return `  ${mark}${report.chain}  ${formatCount(report.links)} 件 / events  最終 / last: ${last}${problems}${unanchored}`;
}

function renderText(v: AuditVerification, opened: OpenedStore): string {
  const events = v.chains.reduce((n, c) => n + c.links, 0);
  const lines: string[] = [];
  const broken = v.chains.filter((c) => !c.ok);
  if (v.ok) {
    lines.push(
      `監査ログに改ざん・欠落はありません（${formatCount(v.chains.length)} 連鎖、${formatCount(events)} 件）。`,
      `The audit log is intact (${formatCount(v.chains.length)} chain(s), ${formatCount(events)} event(s)).`,
    );
  } else {
    const problems = broken.reduce((n, c) => n + c.problemCount, 0);
    if (broken.length > 0) {
      lines.push(
        `監査ログの改ざん・欠落を検出しました: ${formatCount(broken.length)} 連鎖に ${formatCount(problems)} 件の問題。`,
        `Tampering or loss found in the audit log: ${formatCount(problems)} problem(s) in ${formatCount(broken.length)} chain(s).`,
      );
    } else {
      lines.push('指定された連鎖を検証できませんでした。', 'The chains asked for could not be verified.');
    }
    for (const chain of v.notFound) {
      lines.push(
        `  ${chain}: この注意喚起の監査イベントは一つもありません（ID の誤りか、すべて削除されています）。`,
        `  ${chain}: there are no audit events for this advisory at all (a mistyped id, or every one was deleted).`,
      );
    }
    const first = v.firstProblem;
    if (first) {
      const d = describeProblem(first);
      lines.push(
        '',
        `最初の破損箇所 / First broken link: ${both(chainName(first.chain))}${first.seq !== undefined ? ` seq ${first.seq}` : ''}${first.eventId ? ` (${first.eventId})` : ''}`,
        `  ${d.ja}`,
        `  ${d.en}`,
      );
    }
  }
  lines.push('', `ストア / Store: ${opened.kind} ${opened.where}`);
  for (const c of v.chains) {
    lines.push(chainLine(c));
    for (const p of c.problems) {
      const d = describeProblem(p);
      lines.push(`      - ${both(PROBLEM_KIND_TEXT[p.kind])}: ${d.ja}`, `        ${d.en}`);
    }
    if (c.problemCount > c.problems.length) {
      lines.push(`      … ほか ${c.problemCount - c.problems.length} 件 / and ${c.problemCount - c.problems.length} more`);
    }
  }
  return lines.join('\n');
}

function renderJson(v: AuditVerification, opened: OpenedStore, code: ExitCode): string {
  const withText = <T extends Parameters<typeof describeProblem>[0]>(p: T) => ({ ...p, message: describeProblem(p) });
  return JSON.stringify(
    {
      ok: v.ok,
      exitCode: code,
      store: { kind: opened.kind, where: opened.where },
      firstProblem: v.firstProblem ? withText(v.firstProblem) : null,
      notFound: v.notFound,
      chains: v.chains.map((c) => ({ ...c, problems: c.problems.map(withText) })),
    },
    null,
    2,
  );
}

function failure(ctx: CliContext, json: boolean, code: ExitCode, text: Bilingual, detail?: string): ExitCode {
  if (json) ctx.out(JSON.stringify({ ok: false, exitCode: code, error: { ...text, detail } }, null, 2));
  else ctx.err(`${text.ja}\n${text.en}${detail ? `\n${detail}` : ''}`);
  return code;
}

async function run(args: string[], ctx: CliContext): Promise<ExitCode> {
  let parsed: Parsed;
  try {
    parsed = parse(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    return failure(ctx, args.includes('--json'), EXIT.USAGE, err.text, `npm run cli -- ${SYNOPSIS}`);
  }
  if (parsed.help) {
    ctx.out(help());
    return EXIT.OK;
  }
  let opened: OpenedStore;
  try {
    opened = await ctx.openStore(ctx.env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return failure(ctx, parsed.json, EXIT.UNAVAILABLE, { ja: `ストアを開けません: ${message}`, en: `Cannot open the store: ${message}` });
  }
  try {
    if (!parsed.json) for (const w of opened.warnings) ctx.err(w);
    let v: AuditVerification;
    try {
      v = await verifyAudit(opened.store, { chains: parsed.chains, anchors: parsed.anchors });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return failure(ctx, parsed.json, EXIT.UNAVAILABLE, { ja: `監査ログを読めません: ${message}`, en: `Cannot read the audit log: ${message}` });
    }
    const code = v.ok ? EXIT.OK : EXIT.FOUND;
    ctx.out(parsed.json ? renderJson(v, opened, code) : renderText(v, opened));
    return code;
  } finally {
    await opened.store.close();
  }
}

export const verifyAuditCommand: CliSubcommand = {
  name: 'verify-audit',
  synopsis: SYNOPSIS,
  summary: { ja: '監査ログのハッシュ連鎖を検証し、最初の破損箇所を示す', en: "verify the audit log's hash chains and name the first broken link" },
  run,
};
