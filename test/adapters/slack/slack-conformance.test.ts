/** SlackChat against the fake Slack Web API holds the ChatPort contract. */
import { createSlackWebClient, SLACK_FILE_MAX_BYTES, SlackChat } from '../../../adapters/slack/slack-chat.js';
import { renderMessage } from '../../../adapters/slack/slack-blocks.js';
import { startFakeSlack, type FaultSpec } from '../../support/fake-slack.js';
import { chatPortContract, type PlayableFailure } from '../chat-port-contract.js';

const CHANNEL = 'C0CONF0001';
/** The Slack answer for each failure the fake can play. */
const FAULTS: Partial<Record<PlayableFailure, FaultSpec>> = {
  channel_gone: { error: 'channel_not_found' },
  not_in_channel: { error: 'not_in_channel' },
  archived: { error: 'is_archived' },
  auth: { error: 'invalid_auth' },
  forbidden: { error: 'missing_scope' },
  recipient_unreachable: { error: 'user_not_found' },
  too_large: { error: 'msg_too_long' },
  invalid_message: { error: 'invalid_blocks' },
  message_gone: { error: 'message_not_found' },
  rate_limited_with_retry_after: { retryAfterSec: 3 },
  timeout: { error: 'request_timeout' },
  unavailable: { status: 503 },
  lost_response: { dropResponse: true },
};

chatPortContract('Slack', { capabilities: { findOwnPost: true, detectSharedChannel: true, readThreads: true, postImage: { maxBytes: SLACK_FILE_MAX_BYTES } }, plays: Object.keys(FAULTS) as PlayableFailure[] }, async () => {
  const fake = await startFakeSlack();
  fake.setUser('U0GONE0001', { exists: false });
  const chat = new SlackChat({ client: createSlackWebClient({ token: 'xoxb-test-token', slackApiUrl: fake.url, timeoutMs: 2_000 }), render: renderMessage });
  const workspaceId = fake.teamId;
  return {
    chat,
    channel: { workspaceId, channelId: CHANNEL },
    otherChannel: { workspaceId, channelId: 'C0CONF0002' },
    user: { workspaceId, userId: 'U0CONFUSR1' },
    unreachableUser: { workspaceId, userId: 'U0GONE0001' },
    stored: async (channelId) => fake.messages(channelId).map((m) => ({ id: m.ts, text: JSON.stringify([m.text, m.blocks, m.attachments]) })),
    failNextPost: (failure) => fake.failNext('chat.postMessage', { channel: CHANNEL, ...FAULTS[failure] }),
    // A file shared into a channel is a message with `files`; its bytes are what reached the upload URL.
    pictures: async (channelId) =>
      fake.messages(channelId).flatMap((m) =>
        (m.files ?? []).map((file) => ({
          id: file.id,
          png: fake.files().find((f) => f.id === file.id)?.bytes ?? new Uint8Array(),
          text: JSON.stringify([m.text, file.title, file.alt_txt]),
        })),
      ),
    // The channel is judged where the file is shared (files.completeUploadExternal); a 429 can come at any step.
    failNextPicture: (failure) =>
      failure === 'rate_limited_with_retry_after'
        ? fake.failNext('files.getUploadURLExternal', FAULTS[failure])
        : fake.failNext('files.completeUploadExternal', { channel: CHANNEL, ...FAULTS[failure] }),
    shareOutside: (channelId) => fake.setChannel(channelId, { extShared: true }),
    close: () => fake.close(),
  };
});
