import type { Core } from '../../src/core.js';
import type { Actor } from '../../src/domain/platform.js';
import type { Logger } from '../../src/log.js';
import { buildAdvisoryModal } from './advisory-modal.js';
import type { BoltApp } from './bolt-app.js';
import { EVERYONE_CSV_ACTION, renderOncallList, renderStatusExceptions } from './status-blocks.js';
import { renderThread } from './thread-blocks.js';
import { messageForError } from './slack-edge.js';
import { formatTokyo, stacked } from '../../src/i18n/text.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import { parseAdvisoryId } from '../../src/domain/advisory.js';
import { escapeMrkdwn } from './mrkdwn.js';
import { LIFECYCLE_SUBCOMMANDS, openLifecycleModal } from './lifecycle-command.js';

export const ADVISORY_COMMAND = '/advisory';

const HELP_TEXT = {
  ja: [
    '`/advisory` — 注意喚起の発信フォームを開きます（事務局のみ）',
    '`/advisory drill` — 訓練テンプレートから訓練の発信フォームを開きます（予告の有無を選べます。事務局のみ）',
    '`/advisory status ADV-2026-0001` — 受領確認の状況を表示します（訓練は DRL-2026-0001 など。事務局のみ）',
    '`/advisory oncall` — 未対応の電話タスクを一覧します（電話当番・事務局）',
    '`/advisory thread ADV-… 構成員ID` — 構成員のスレッドの返信を表示します（事務局のみ）',
    '`/advisory followup ADV-…` — 続報を各構成員のスレッドに投稿します（事務局のみ）',
    '`/advisory correct ADV-…` — 各構成員の通知を訂正します（事務局のみ）',
    '`/advisory withdraw ADV-…` — 注意喚起を取り下げます（事務局のみ）',
    '`/advisory close ADV-…` — 注意喚起を終了し、集計を投稿します（事務局のみ）',
    '`/advisory export ADV-… [csv|json]` — 記録のダウンロードリンクを表示します（事務局のみ）',
  ].join('\n'),
  en: [
    '`/advisory` — open the form to issue an advisory (secretariat only)',
    '`/advisory drill` — open the form for a drill, filled in from the drill template; announce it or not (secretariat only)',
    '`/advisory status ADV-2026-0001` — show who has and has not acknowledged (drills: DRL-2026-0001 and so on; secretariat only)',
    '`/advisory oncall` — list the phone tasks still to be worked (on-call staff, secretariat)',
    "`/advisory thread ADV-… <member id>` — show a member's replies in their thread (secretariat only)",
    "`/advisory followup ADV-…` — post a follow-up in every member's thread (secretariat only)",
    "`/advisory correct ADV-…` — correct every member's copy (secretariat only)",
    '`/advisory withdraw ADV-…` — withdraw the advisory (secretariat only)',
    '`/advisory close ADV-…` — close the advisory and post its summary (secretariat only)',
    "`/advisory export ADV-… [csv|json]` — a download link to the advisory's record (secretariat only)",
  ].join('\n'),
};

/** `/advisory` opens the form; `/advisory status <id>` shows who has and has not acknowledged. */
export function registerAdvisoryCommand(app: BoltApp, core: Core, log: Logger): void {
  // The status's link button opens the export in the browser; Slack still tells the app, which has nothing to do.
  app.action(EVERYONE_CSV_ACTION, async ({ ack }) => {
    await ack();
  });
  app.command(ADVISORY_COMMAND, async ({ command, ack, respond, client }) => {
    await ack();
    const actor: Actor = { platform: 'slack', userId: command.user_id, name: command.user_name };
    const [sub = '', ...args] = command.text.trim().split(/\s+/).filter(Boolean);
    const context = { command: ADVISORY_COMMAND, sub, user: command.user_id, team: command.team_id };
    try {
      switch (sub.toLowerCase()) {
        case '':
        case 'new': {
          const options = await core.openAdvisoryForm(actor);
          await client.views.open({ trigger_id: command.trigger_id, view: buildAdvisoryModal(options) });
          return;
        }
        case 'drill': {
          // The same form, filled in from the drill template: it goes through the preview and Send like any advisory.
          const form = await core.openDrillForm(actor);
          await client.views.open({ trigger_id: command.trigger_id, view: buildAdvisoryModal(form.options, form.entries) });
          return;
        }
        case 'status': {
          const id = args[0];
          if (!id) {
            await respond({ response_type: 'ephemeral', text: stacked(HELP_TEXT) });
            return;
          }
          // The counts of everyone and the first exceptions (failed, then silent); everyone's rows are in the export.
          // One page: the exceptions come first in it, and whoever wrote in a thread is offered to read.
          const status = await core.statusOf(actor, id);
          const link = await core.exportLink({ actor, advisoryId: status.advisoryId, format: 'csv' }).catch((err: unknown) => {
            // Said, not silent: the status still answers, pointing to the export command instead of a link.
            log.warn({ err, advisoryId: status.advisoryId }, 'no export link for the status; the command is shown instead');
            return undefined;
          });
          await respond({ response_type: 'ephemeral', ...renderStatusExceptions(status, { link }) });
          return;
        }
        case 'export': {
          const id = args[0];
          if (!id) {
            await respond({ response_type: 'ephemeral', text: stacked(HELP_TEXT) });
            return;
          }
          const format = args[1]?.toLowerCase() === 'json' ? 'json' : 'csv';
          const link = await core.exportLink({ actor, advisoryId: parseAdvisoryId(id) ?? id, format });
          const text = link.url ? LF.exportReady(parseAdvisoryId(id) ?? id, link.url, formatTokyo(link.expiresAt)) : LF.exportNoUrl;
          await respond({ response_type: 'ephemeral', text: escapeMrkdwn(stacked(text)) });
          return;
        }
        case 'oncall': {
          const list = await core.oncallList(actor);
          await respond({ response_type: 'ephemeral', ...renderOncallList(list) });
          return;
        }
        case 'thread': {
          const [first, member] = args;
          if (!first) {
            await respond({ response_type: 'ephemeral', text: stacked(HELP_TEXT) });
            return;
          }
          const view = await core.threadOf(actor, member ? { advisoryId: first, memberId: member } : { deliveryId: first });
          await respond({ response_type: 'ephemeral', ...renderThread(view) });
          return;
        }
        default: {
          const lifecycle = LIFECYCLE_SUBCOMMANDS[sub.toLowerCase()];
          if (lifecycle) {
            await openLifecycleModal(core, client, { actor, kind: lifecycle, idText: args[0], triggerId: command.trigger_id });
            return;
          }
          await respond({ response_type: 'ephemeral', text: stacked(HELP_TEXT) });
        }
      }
    } catch (err) {
      await respond({ response_type: 'ephemeral', text: messageForError(err, log, context) });
    }
  });
}
