import { randomUUID } from 'node:crypto';
import { MessageFactory } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import { cardAttachment, type BotApp } from './bot-app.js';
import { advisoryFormCard, drillFormCard } from './advisory-form-card.js';
import { DT } from '../../src/i18n/drill-text.js';
import { registerAdvisoryFormActions } from './advisory-form-actions.js';
import { LIFECYCLE_SUBCOMMANDS, lifecycleFormFor, registerLifecycleActions } from './lifecycle-actions.js';
import { oncallListCard, statusExceptionsCard } from './status-cards.js';
import { actorOf } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';
import { HELP_TEXT } from './teams-text.js';
import { CT } from '../../src/i18n/chat-text.js';
import { PREVIEW_TEXT } from '../../src/i18n/preview-text.js';
import { openTasksText } from '../../src/i18n/phone-text.js';
import { both, formatTokyo, stacked } from '../../src/i18n/text.js';
import { LF } from '../../src/i18n/lifecycle-text.js';
import { parseAdvisoryId } from '../../src/domain/advisory.js';

/** The dialog of earlier releases: a button still in a chat may ask for it (see below). */
export const FORM_VERB = 'advisory_form';
export const ISSUE_VERB = 'advisory_issue';

/**
 * Secretariat commands typed to the bot: `advisory` (the form, as a card in the conversation),
 * `advisory status <id>`, `advisory oncall`. The same authorisation as on Slack: the core decides.
 */
export function registerTeamsCommands(app: BotApp, core: Core, log: Logger): void {
  app.message(/^\s*advisory\b/i, async (context) => {
    const actor = actorOf(context);
    const [, sub = '', arg = ''] = /^\s*advisory\s*(\S*)\s*(\S*)/i.exec(context.activity.text ?? '') ?? [];
    const ctx = { command: 'advisory', sub, user: actor.userId };
    try {
      switch (sub.toLowerCase()) {
        case '':
        case 'new':
          {
            // The form itself, not a dialog (the Agents Playground has none); its buttons: advisory-form-actions.ts.
            const options = await core.openAdvisoryForm(actor);
            await context.sendActivity({ summary: stacked(PREVIEW_TEXT.formIntro), attachments: [cardAttachment(advisoryFormCard(options, randomUUID()))] });
          }
          return;
        case 'drill':
          {
            // The same form, filled in from the drill template: it goes through the preview and Send like any advisory.
            const form = await core.openDrillForm(actor);
            await context.sendActivity({ summary: stacked(DT.formIntro), attachments: [cardAttachment(drillFormCard(form.options, form.entries, randomUUID()))] });
          }
          return;
        case 'status':
          if (!arg) {
            await context.sendActivity(MessageFactory.text(HELP_TEXT));
            return;
          }
          {
            // The counts of everyone and the first exceptions (failed, then silent); everyone's rows are in the export.
            // One page: the exceptions come first in it, and whoever wrote in a thread is offered to read.
            const status = await core.statusOf(actor, arg);
            const link = await core.exportLink({ actor, advisoryId: status.advisoryId, format: 'csv' }).catch((err: unknown) => {
            // Said, not silent: the status still answers, pointing to the export command instead of a link.
            log.warn({ err, advisoryId: status.advisoryId }, 'no export link for the status; the command is shown instead');
            return undefined;
          });
            // The notification and the chat list show the summary; a card alone shows as "Card".
            await context.sendActivity({ summary: `📊 ${status.advisoryId} ${status.title}`, attachments: [cardAttachment(statusExceptionsCard(status, { link }))] });
          }
          return;
        case 'oncall':
          {
            const list = await core.oncallList(actor);
            await context.sendActivity({ summary: `📞 ${both(CT.oncallTitle)} (${both(openTasksText(list.tasks.length))})`, attachments: [cardAttachment(oncallListCard(list))] });
          }
          return;
        case 'export':
          if (!arg) {
            await context.sendActivity(MessageFactory.text(HELP_TEXT));
            return;
          }
          {
            const id = parseAdvisoryId(arg) ?? arg;
            const link = await core.exportLink({ actor, advisoryId: id, format: 'csv' });
            const text = link.url ? LF.exportReady(id, link.url, formatTokyo(link.expiresAt)) : LF.exportNoUrl;
            await context.sendActivity(MessageFactory.text(stacked(text).replace(/\n/g, '\n\n')));
          }
          return;
        default: {
          const kind = LIFECYCLE_SUBCOMMANDS.find((k) => k === sub.toLowerCase());
          if (kind && arg) {
            const form = await lifecycleFormFor(core, actor, kind, arg);
            await context.sendActivity({ summary: `${arg} ${kind}`, attachments: [cardAttachment(form)] });
            return;
          }
          await context.sendActivity(MessageFactory.text(HELP_TEXT));
        }
      }
    } catch (err) {
      await context.sendActivity(MessageFactory.text(teamsErrorText(err, log, ctx)));
    }
  });

  registerAdvisoryFormActions(app, core, log);
  registerLifecycleActions(app, core, log);

  // The dialog of earlier releases, from a button or a dialog still open in a chat: never issue without a
  // preview; say how to get the form now.
  app.taskModules.fetch(FORM_VERB, async () => stacked(PREVIEW_TEXT.formMoved));
  app.taskModules.submit(ISSUE_VERB, async () => stacked(PREVIEW_TEXT.formMoved));
}
