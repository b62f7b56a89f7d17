/** LocalChat (the local workspace's messages in SQLite) holds the ChatPort contract. */
import { loadDirectoryFile } from '../../../src/directory/load.js';
import { LOCAL_IMAGE_MAX_BYTES, LocalChat } from '../../../adapters/local/local-chat.js';
import { localWorkspace, memberChannelId } from '../../../adapters/local/local-directory.js';
import { LocalMessages } from '../../../adapters/local/local-messages.js';
import { chatPortContract } from '../chat-port-contract.js';

const file = await loadDirectoryFile('config/members.example.yaml');

// The local workspace is this process: no platform to fail, nothing to rate-limit.
chatPortContract('local workspace', { capabilities: { findOwnPost: true, detectSharedChannel: true, readThreads: false, postImage: { maxBytes: LOCAL_IMAGE_MAX_BYTES } }, plays: [] }, async () => {
  // A fresh copy each time: shareOutside marks a channel of this copy only.
  const ws = localWorkspace(structuredClone(file));
  const messages = new LocalMessages(':memory:');
  const chat = new LocalChat({ messages, users: ws.users, channels: ws.channels });
  return {
    chat,
    channel: { workspaceId: 'local', channelId: memberChannelId('jma') },
    otherChannel: { workspaceId: 'local', channelId: memberChannelId('jda') },
    user: { workspaceId: 'local', userId: 'jma-1' },
    unreachableUser: { workspaceId: 'local', userId: 'nobody' },
    stored: async (channelId) => messages.listByChannel(channelId).map((m) => ({ id: m.id, text: JSON.stringify(m.body) })),
    pictures: async (channelId) =>
      messages.listByChannel(channelId).flatMap((m) => {
        if (m.body.kind !== 'image') return [];
        const { png, ...shown } = m.body;
        return [{ id: m.id, png: Uint8Array.from(Buffer.from(png, 'base64')), text: JSON.stringify(shown) }];
      }),
    failNextPost: () => {
      throw new Error('the local workspace plays no failures');
    },
    shareOutside: (channelId) => {
      const channel = ws.channels.find((c) => c.id === channelId);
      if (channel) channel.sharedOutside = true;
    },
    close: async () => chat.close(),
  };
});
