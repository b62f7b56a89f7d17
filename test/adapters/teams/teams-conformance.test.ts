/** TeamsChat against the fake Bot Connector holds the ChatPort contract. */
import { renderTeamsMessage } from '../../../adapters/teams/teams-cards.js';
import { TEAMS_IMAGE_MAX_BYTES, TeamsChat } from '../../../adapters/teams/teams-chat.js';
import type { ConversationRecord } from '../../../src/domain/conversation.js';
import { cardImages, startFakeConnector, type ConnectorFault } from '../../support/fake-bot-connector.js';
import { chatPortContract, type PlayableFailure } from '../chat-port-contract.js';

const TENANT = '6f0d2c1e-0000-4000-8000-00000000c0f1';
const CHANNEL = '19:c0f1c0f1c0f1c0f1@thread.tacv2';
const OTHER = '19:c0f2c0f2c0f2c0f2@thread.tacv2';
const BOT = '28:00000000-0000-4000-8000-00000000b07';

/** The connector's answer for each failure the fake can play (Teams' own error codes). */
const FAULTS: Partial<Record<PlayableFailure, ConnectorFault>> = {
  channel_gone: { status: 404, code: 'ConversationNotFound' },
  not_in_channel: { status: 403, code: 'BotNotInConversationRoster' },
  forbidden: { status: 403, code: 'BotDisabledByAdmin' },
  recipient_unreachable: { status: 403, code: 'ConversationBlockedByUser' },
  auth: { status: 401, code: 'Unauthorized' },
  too_large: { status: 413, code: 'MessageSizeTooBig' },
  invalid_message: { status: 400, code: 'BadArgument' },
  rate_limited: { status: 429 },
  rate_limited_with_retry_after: { status: 429, retryAfterSec: 3 },
  timeout: { status: 408 },
  unavailable: { status: 503 },
  lost_response: { dropResponse: true },
};

chatPortContract('Teams', { capabilities: { findOwnPost: false, detectSharedChannel: false, readThreads: false, postImage: { maxBytes: TEAMS_IMAGE_MAX_BYTES } }, plays: Object.keys(FAULTS) as PlayableFailure[] }, async () => {
  const fake = await startFakeConnector({ basePath: '/amer/' });
  const records = new Map<string, ConversationRecord>();
  const record = (conversationId: string) =>
    records.set(conversationId, { platform: 'teams', conversationId, tenantId: TENANT, serviceUrl: fake.serviceUrl, kind: 'channel', botId: BOT, removed: false, updatedAt: new Date().toISOString() });
  record(CHANNEL);
  record(OTHER);
  const chat = new TeamsChat({
    appId: '',
    render: renderTeamsMessage,
    lookup: {
      conversation: async (id) => records.get(id) ?? null,
      tenant: async (tenantId) => [...records.values()].find((r) => r.tenantId === tenantId) ?? null,
      remember: async (r) => void records.set(r.conversationId, { ...r, updatedAt: new Date().toISOString() }),
    },
  });
  return {
    chat,
    channel: { workspaceId: TENANT, channelId: CHANNEL },
    otherChannel: { workspaceId: TENANT, channelId: OTHER },
    user: { workspaceId: TENANT, userId: '29:conf-user' },
    // A tenant that never installed the app: nobody there can be reached.
    unreachableUser: { workspaceId: '6f0d2c1e-0000-4000-8000-0000000000ff', userId: '29:elsewhere' },
    stored: async (conversationId) =>
      fake.activities(conversationId).filter((a) => !a.deleted).map((a) => ({ id: a.id, text: JSON.stringify([a.text, a.summary, a.attachments]) })),
    failNextPost: (failure) => fake.failNext({ conversationId: CHANNEL, ...FAULTS[failure] }),
    // A picture is an Image in a card whose url is a data URI: its bytes are in the activity itself.
    pictures: async (conversationId) =>
      fake.activities(conversationId).flatMap((a) => {
        const image = cardImages(a)[0];
        return image === undefined ? [] : [{ id: a.id, png: image.png, text: JSON.stringify([a.summary, a.attachments?.map((x) => x.content), image.altText]) }];
      }),
    failNextPicture: (failure) => fake.failNext({ conversationId: CHANNEL, ...FAULTS[failure] }),
    close: () => fake.close(),
  };
});
