import { systemClock } from '../clock.js';
import { applyRetention } from '../commands/retention.js';
import { ConfigSchema } from '../config.js';
import { stacked } from '../i18n/text.js';
import { parseOrUsage, UsageError, withStore } from './archive-cli.js';
import { EXIT, type CliSubcommand } from './subcommand.js';

const SYNOPSIS = 'purge [--dry-run] [--json]';
const Retention = ConfigSchema.pick({ RETENTION_RED_DAYS: true, RETENTION_DAYS: true });

/**
 * `npm run cli -- purge`: apply the retention settings to the archive (RETENTION_RED_DAYS for TLP:RED
 * texts, RETENTION_DAYS for whole transcripts). Meant for cron (daily); --dry-run says what it would do.
 */
export const purgeCommand: CliSubcommand = {
  name: 'purge',
  synopsis: SYNOPSIS,
  summary: { ja: '保存期間を過ぎた TLP:RED の本文と記録を削除する（--dry-run で確認のみ）', en: 'remove TLP:RED texts and records past their retention (--dry-run: only say what)' },
  run: (args, ctx) =>
    withStore(ctx, SYNOPSIS, async (opened) => {
      const { values } = parseOrUsage(args, { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' } }, false);
      const settings = Retention.safeParse(ctx.env);
      if (!settings.success) throw new UsageError({ ja: `保存期間の設定が正しくありません: ${settings.error.message}`, en: `The retention settings are not valid: ${settings.error.message}` });
      const dryRun = values['dry-run'] === true;
      const r = await applyRetention({ store: opened.store, clock: systemClock }, { redDays: settings.data.RETENTION_RED_DAYS, keepDays: settings.data.RETENTION_DAYS }, { dryRun });
      if (values.json) ctx.out(JSON.stringify({ dryRun, ...r }, null, 2));
      else {
        const verb = dryRun ? { ja: '対象', en: 'would be' } : { ja: '実行', en: 'done' };
        ctx.out(stacked({
          ja: `TLP:RED 本文の削除（${verb.ja}）: ${r.redacted.length} 件 ${r.redacted.join(' ')}\n記録の削除（${verb.ja}）: ${r.deleted} 件`,
          en: `TLP:RED texts removed (${verb.en}): ${r.redacted.length} ${r.redacted.join(' ')}\nRecords deleted (${verb.en}): ${r.deleted}`,
        }));
      }
      return EXIT.OK;
    }),
};
