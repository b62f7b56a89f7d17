import type { ConversationStore, PlatformAdapter } from '../../src/ports/platform-adapter.js';
import { connectorToken, createTeamsAdapter, mountTeamsApp, teamsCredentialCheck, type TeamsAdapterOptions } from './teams-app.js';
import { renderTeamsMessage } from './teams-cards.js';
import { TeamsChat } from './teams-chat.js';

/**
 * Microsoft Teams as one platform: the Bot Connector chat port, /api/messages, and where the bot may
 * post (its own conversation records, in `conversations`).
 */
export function teamsPlatform(opts: TeamsAdapterOptions & { conversations: ConversationStore }): PlatformAdapter {
  const teams = createTeamsAdapter(opts);
  const chat = new TeamsChat({
    appId: teams.appId,
    lookup: {
      conversation: (id) => opts.conversations.get(id),
      tenant: (tenantId) => opts.conversations.latestInTenant(tenantId),
      remember: (record) => opts.conversations.save(record),
    },
    render: renderTeamsMessage,
    token: connectorToken(teams, opts),
    credentialCheck: teamsCredentialCheck(teams, opts),
  });
  return {
    platform: 'teams',
    chat,
    mount(http, core) {
      mountTeamsApp({ ...teams, http, core, log: opts.log });
    },
    // Proactive messages and incoming activities are plain HTTPS: nothing to connect or close.
    async start() {},
    async stop() {},
  };
}
