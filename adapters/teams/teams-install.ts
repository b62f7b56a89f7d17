import type { TurnContext } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BotApp } from './bot-app.js';
import { tenantOf } from './teams-edge.js';

/**
 * Installation in a team or chat gives us what proactive posts need later: the service URL, the
 * tenant, the bot's id there. The member directory says which channel belongs to which member.
 */
export function registerTeamsInstall(app: BotApp, core: Core, log: Logger): void {
  const record = async (context: TurnContext, removed: boolean) => {
    const a = context.activity;
    const tenantId = tenantOf(context);
    if (!tenantId || !a.conversation?.id || !a.serviceUrl) {
      log.warn({ type: a.type }, 'Teams install event without tenant, conversation or service URL');
      return;
    }
    const channelData = (a.channelData ?? {}) as { team?: { id?: string } };
    const type = a.conversation.conversationType;
    await core.recordConversation({
      platform: 'teams',
      conversationId: a.conversation.id,
      tenantId,
      serviceUrl: a.serviceUrl,
      teamId: channelData.team?.id,
      kind: type === 'personal' ? 'personal' : type === 'groupChat' ? 'groupChat' : 'channel',
      botId: a.recipient.id,
      removed,
    });
  };

  app.conversationUpdate('membersAdded', async (context) => {
    if (context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id)) await record(context, false);
  });
  app.conversationUpdate('membersRemoved', async (context) => {
    if (context.activity.membersRemoved?.some((m) => m.id === context.activity.recipient.id)) await record(context, true);
  });
  app.activity('installationUpdate', async (context) => {
    await record(context, context.activity.action === 'remove');
  });
}
