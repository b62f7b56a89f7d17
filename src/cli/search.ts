import { CATEGORIES, SEVERITIES, TLP_LEVELS } from '../domain/classification.js';
import type { TranscriptQuery, TranscriptSummary } from '../ports/archive.js';
import { jst } from '../view/transcript-export.js';
import { parseOrUsage, UsageError, withStore } from './archive-cli.js';
import { EXIT, type CliSubcommand } from './subcommand.js';

const SYNOPSIS = 'search [--since DATE] [--until DATE] [--member ID] [--tlp TLP] [--severity LEVEL] [--category CAT] [--drill|--no-drill] [--limit N] [--json]';

function date(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  // A bare date is midnight in Japan, as people mean it.
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+09:00` : value);
  if (Number.isNaN(t)) throw new UsageError({ ja: `--${name} の日付が読めません: ${value}`, en: `--${name} is not a date: ${value}` });
  return new Date(t).toISOString();
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError({ ja: `--${name} は ${allowed.join(' / ')} のいずれかです: ${value}`, en: `--${name} is one of ${allowed.join(', ')}: ${value}` });
  return value as T;
}

/** One advisory per line, tab-separated: a title's own tabs and line breaks become spaces. */
const line = (s: TranscriptSummary): string =>
  [s.advisoryId, jst(s.issuedAt), s.tlp, s.severity, s.category, s.drill ? 'drill' : '', `${s.members}`, s.cause ?? '', s.redacted ? 'redacted' : '', s.title.replace(/[\t\r\n]+/g, ' ')].join('\t');

/** `npm run cli -- search --since 2026-04-01 --member jma --tlp TLP:RED`: archived advisories, newest first. */
export const searchCommand: CliSubcommand = {
  name: 'search',
  synopsis: SYNOPSIS,
  summary: { ja: '保存済みの注意喚起を日付・構成員・TLP・深刻度・分類・訓練で検索する', en: 'search archived advisories by date, member, TLP, severity, category, drill' },
  run: (args, ctx) =>
    withStore(ctx, SYNOPSIS, async (opened) => {
      const { values } = parseOrUsage(
        args,
        {
          since: { type: 'string' },
          until: { type: 'string' },
          member: { type: 'string' },
          tlp: { type: 'string' },
          severity: { type: 'string' },
          category: { type: 'string' },
          drill: { type: 'boolean' },
          'no-drill': { type: 'boolean' },
          limit: { type: 'string', default: '100' },
          json: { type: 'boolean' },
        },
        false,
      );
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError({ ja: '--limit は 1〜10000 です。', en: '--limit is 1 to 10000.' });
      const query: TranscriptQuery = {
        since: date(values.since as string | undefined, 'since'),
        until: date(values.until as string | undefined, 'until'),
        memberId: values.member as string | undefined,
        tlp: oneOf(values.tlp as string | undefined, TLP_LEVELS, 'tlp'),
        severity: oneOf(values.severity as string | undefined, SEVERITIES, 'severity'),
        category: oneOf(values.category as string | undefined, CATEGORIES, 'category'),
        drill: values.drill ? true : values['no-drill'] ? false : undefined,
        limit,
      };
      const page = await opened.store.searchTranscripts(query);
      if (values.json) ctx.out(JSON.stringify({ transcripts: page.transcripts, more: page.next !== undefined }, null, 2));
      else {
        ctx.out(['ID', '発信 (JST) / issued', 'TLP', 'severity', 'category', 'drill', 'members', 'end', 'redacted', 'title'].join('\t'));
        for (const s of page.transcripts) ctx.out(line(s));
        if (page.next !== undefined) ctx.err(`（${limit} 件を超えます。--limit で増やすか条件を絞ってください / more than ${limit}: raise --limit or narrow the search）`);
      }
      return EXIT.OK;
    }),
};
