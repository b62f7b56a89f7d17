import { writeFile } from 'node:fs/promises';
import { parseAdvisoryId } from '../domain/advisory.js';
import { REACH_FORMATS, reachFileOf, reachOf, type ReachFormat, type ReachSources } from '../commands/reach.js';
import { loadDirectory } from '../directory/load.js';
import { isBotError } from '../errors.js';
import { inProcessCharts } from '../view/chart-drawer.js';
import { stacked } from '../i18n/text.js';
import type { OpenedStore } from '../store/open-store.js';
import { parseOrUsage, sourcesFor, UsageError, withStore } from './archive-cli.js';
import { EXIT, type CliContext, type CliSubcommand } from './subcommand.js';

const SYNOPSIS = 'report ADV-… [--format csv|json|svg|png] [--out FILE] [--compare ADV-…]';

/**
 * `npm run cli -- report DRL-2026-0003 --compare DRL-2026-0002`: the reach report (疎通確認率) of an advisory, drill
 * or real, from its record (the archived transcript, or its live records): CSV (UTF-8 with a BOM, the figures then
 * a row per member; with --compare, the two side by side), JSON, or the chart as SVG or PNG (PNG only with --out).
 * Taking it out is audited in the advisory's chain, as the export is.
 */
export const reportCommand: CliSubcommand = {
  name: 'report',
  synopsis: SYNOPSIS,
  summary: { ja: '注意喚起・訓練の疎通確認率（段階別の受領確認率・所要時間・推移のグラフ）を書き出す', en: "write an advisory's or drill's reach report (rates per stage, times, the chart)" },
  run: (args, ctx) =>
    withStore(ctx, SYNOPSIS, async (opened) => {
      const { values, positionals } = parseOrUsage(args, { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, compare: { type: 'string' } });
      const format = values.format as string;
      if (!(REACH_FORMATS as readonly string[]).includes(format)) throw new UsageError({ ja: `--format は csv・json・svg・png のいずれかです: ${format}`, en: `--format is csv, json, svg or png: ${format}` });
      const id = positionals.length === 1 ? parseAdvisoryId(positionals[0]!) : null;
      if (!id) throw new UsageError({ ja: '注意喚起 ID を一つ指定してください（例 ADV-2026-0042、DRL-2026-0003）。', en: 'Name one advisory id (e.g. ADV-2026-0042, DRL-2026-0003).' });
      const compare = values.compare === undefined ? undefined : parseAdvisoryId(values.compare);
      if (compare === null) throw new UsageError({ ja: `--compare には注意喚起 ID を指定してください: ${values.compare}`, en: `--compare takes an advisory id: ${values.compare}` });
      if (compare !== undefined && (format === 'svg' || format === 'png')) {
        throw new UsageError({ ja: '--compare は csv か json で使えます（グラフは一件ずつ）。', en: '--compare goes with csv or json (a chart shows one advisory).' });
      }
      if (format === 'png' && !values.out) throw new UsageError({ ja: 'PNG は --out でファイルに書き出してください。', en: 'Write a PNG to a file with --out.' });

      const sources = await reportSources(ctx, opened);
      let current;
      let previous;
      try {
        current = await reachOf(sources, id);
        previous = compare === undefined ? undefined : (await reachOf(sources, compare)).report;
      } catch (err) {
        if (!isBotError(err, 'ADVISORY.NOT_FOUND')) throw err;
        ctx.err(stacked({ ja: `${String(err.detail['advisoryId'])} は見つかりません。`, en: `${String(err.detail['advisoryId'])} was not found.` }));
        return EXIT.FOUND;
      }
      const file = await reachFileOf(inProcessCharts, current.report, format as ReachFormat, current.archived, previous);
      await opened.store.appendAudit({
        id: `${id}.exported.cli.${Date.now()}`,
        at: new Date().toISOString(),
        action: 'advisory.exported',
        advisoryId: id,
        detail: {
          report: 'reach',
          format,
          via: 'cli',
          user: ctx.env['USER'] ?? ctx.env['LOGNAME'] ?? 'unknown',
          archived: current.archived,
          ...(previous ? { comparedWith: previous.advisoryId } : {}),
        },
      });
      if (values.out) {
        await writeFile(values.out, file.body);
        const r = current.report;
        ctx.err(stacked({ ja: `${values.out} に書き出しました（対象 ${r.targeted}、受領確認 ${r.rates.acknowledged.percent}%）。`, en: `Wrote ${values.out} (${r.targeted} targeted, ${r.rates.acknowledged.percent}% acknowledged).` }));
      } else {
        ctx.out(String(file.body).replace(/\r?\n$/, ''));
      }
      return EXIT.OK;
    }),
};

/** The export's sources, and each member's phone contacts from the same directory (where the ladder's alert falls). */
async function reportSources(ctx: CliContext, opened: OpenedStore): Promise<ReachSources> {
  const sources = await sourcesFor(ctx, opened);
  try {
    const directory = await loadDirectory(ctx.env['MEMBERS_FILE'] ?? 'config/members.example.yaml');
    return { ...sources, contactsOf: (memberId) => directory.contactsInOrder(memberId).length };
  } catch {
    // sourcesFor has said the directory cannot be read; the alert is then marked as for one contact.
    return sources;
  }
}
