import { MessageFactory } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import { cardAttachment, type BotApp } from './bot-app.js';
import { advisoryFormCard, formErrorCard, openFormCard } from './advisory-form-card.js';
import { parseAdvisoryForm } from './advisory-form-parse.js';
import { oncallListCard, statusCard } from './status-cards.js';
import { actorOf } from './teams-edge.js';
import { teamsErrorText } from './teams-reply.js';
import { HELP_TEXT, FORM_TITLE, issuedText, TT } from './teams-text.js';
import { CT, issuedPendingText } from '../../src/i18n/chat-text.js';
import { openTasksText } from '../../src/i18n/phone-text.js';
import { both, stacked } from '../../src/i18n/text.js';

export const FORM_VERB = 'advisory_form';
export const ISSUE_VERB = 'advisory_issue';

/**
 * Secretariat commands typed to the bot: `advisory` (offers the form as a dialog),
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
          await core.openAdvisoryForm(actor);
          // A message cannot open a dialog by itself: the button does (task/fetch).
          await context.sendActivity({ summary: stacked(TT.openFormIntro), attachments: [cardAttachment(openFormCard(FORM_VERB))] });
          return;
        case 'status':
          if (!arg) {
            await context.sendActivity(MessageFactory.text(HELP_TEXT));
            return;
          }
          {
            const status = await core.statusOf(actor, arg);
            // The notification and the chat list show the summary; a card alone shows as "Card".
            await context.sendActivity({ summary: `📊 ${status.advisoryId} ${status.title}`, attachments: [cardAttachment(statusCard(status))] });
          }
          return;
        case 'oncall':
          {
            const list = await core.oncallList(actor);
            await context.sendActivity({ summary: `📞 ${both(CT.oncallTitle)} (${both(openTasksText(list.tasks.length))})`, attachments: [cardAttachment(oncallListCard(list))] });
          }
          return;
        default:
          await context.sendActivity(MessageFactory.text(HELP_TEXT));
      }
    } catch (err) {
      await context.sendActivity(MessageFactory.text(teamsErrorText(err, log, ctx)));
    }
  });

  app.taskModules.fetch(FORM_VERB, async (context) => {
    const actor = actorOf(context);
    try {
      const options = await core.openAdvisoryForm(actor);
      return { title: FORM_TITLE, width: 'large', height: 'large', card: cardAttachment(advisoryFormCard(options)) };
    } catch (err) {
      return teamsErrorText(err, log, { dialog: FORM_VERB, user: actor.userId });
    }
  });

  app.taskModules.submit(ISSUE_VERB, async (context, _state, data: Record<string, unknown>) => {
    const actor = actorOf(context);
    try {
      const parsed = parseAdvisoryForm(data);
      if (!parsed.ok) {
        const options = await core.openAdvisoryForm(actor);
        return { title: FORM_TITLE, width: 'large', height: 'large', card: cardAttachment(formErrorCard(options, parsed.errors, data)) };
      }
      // The invoke's id identifies this submission: Teams re-sending it issues nothing new.
      const result = await core.issueAdvisory({ actor, requestKey: `teams-dialog.${context.activity.id ?? ''}`, input: parsed.input });
      return result.queued ? issuedText(result.advisory.id, result.deliveries.length) : stacked(issuedPendingText(result.advisory.id));
    } catch (err) {
      return teamsErrorText(err, log, { dialog: ISSUE_VERB, user: actor.userId });
    }
  });
}
