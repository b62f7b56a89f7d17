import { writeFile } from 'node:fs/promises';
import { parseAdvisoryId } from '../domain/advisory.js';
import { exportFile, recordOf, type ExportFormat } from '../commands/export.js';
import { isBotError } from '../errors.js';
import { stacked } from '../i18n/text.js';
import { parseOrUsage, sourcesFor, UsageError, withStore } from './archive-cli.js';
import { EXIT, type CliSubcommand } from './subcommand.js';

const SYNOPSIS = 'export ADV-… [--format csv|json] [--out FILE]';

/**
 * `npm run cli -- export ADV-2026-0042 --format csv --out ADV-2026-0042.csv`: the advisory's record
 * (its archived transcript, or its live records if not archived yet). CSV is UTF-8 with a BOM, so
 * Excel reads the Japanese; without --out it goes to stdout. The export is audited in the advisory's chain.
 */
export const exportCommand: CliSubcommand = {
  name: 'export',
  synopsis: SYNOPSIS,
  summary: { ja: '注意喚起の記録（配信・受領確認・電話・返信）を CSV / JSON で書き出す', en: "write an advisory's record (deliveries, acknowledgements, calls, replies) as CSV or JSON" },
  run: (args, ctx) =>
    withStore(ctx, SYNOPSIS, async (opened) => {
      const { values, positionals } = parseOrUsage(args, { format: { type: 'string', default: 'csv' }, out: { type: 'string' } });
      const format = values.format as string;
      if (format !== 'csv' && format !== 'json') throw new UsageError({ ja: `--format は csv か json です: ${format}`, en: `--format is csv or json: ${format}` });
      const id = positionals.length === 1 ? parseAdvisoryId(positionals[0]!) : null;
      if (!id) throw new UsageError({ ja: '注意喚起 ID を一つ指定してください（例 ADV-2026-0042、訓練は DRL-2026-0003）。', en: 'Name one advisory id (e.g. ADV-2026-0042, or DRL-2026-0003 for a drill).' });
      let record;
      try {
        record = await recordOf(await sourcesFor(ctx, opened), id);
      } catch (err) {
        if (!isBotError(err, 'ADVISORY.NOT_FOUND')) throw err;
        ctx.err(stacked({ ja: `${id} は見つかりません。`, en: `${id} was not found.` }));
        return EXIT.FOUND;
      }
      const file = exportFile(record.transcript, format as ExportFormat, record.archived);
      await opened.store.appendAudit({
        id: `${id}.exported.cli.${Date.now()}`,
        at: new Date().toISOString(),
        action: 'advisory.exported',
        advisoryId: id,
        detail: { format, via: 'cli', user: ctx.env['USER'] ?? ctx.env['LOGNAME'] ?? 'unknown', archived: record.archived },
      });
      if (values.out) {
        await writeFile(values.out, file.body);
        ctx.err(stacked({ ja: `${values.out} に書き出しました（${record.transcript.deliveries.length} 配信）。`, en: `Wrote ${values.out} (${record.transcript.deliveries.length} deliveries).` }));
      } else {
        ctx.out(file.body.replace(/\r?\n$/, ''));
      }
      return EXIT.OK;
    }),
};
