import type { Logger } from '../../src/log.js';
import type { PlatformAdapter } from '../../src/ports/platform-adapter.js';
import { createSlackApp, type SlackApp } from './slack-app.js';
import { renderMessage } from './slack-blocks.js';
import { createSlackWebClient, SlackChat } from './slack-chat.js';
import { createSlackSend } from './slack-send.js';
import { createSlackRespond } from './slack-respond.js';

export interface SlackPlatformOptions {
  botToken: string;
  /** HTTP mode: Bolt verifies every request to /slack/events with it. */
  signingSecret?: string | undefined;
  /** Socket Mode, when set: no public endpoint needed. */
  appToken?: string | undefined;
  /** Base URL of the Web API, for tests. */
  apiUrl?: string | undefined;
  log: Logger;
}

/** Slack as one platform: the Web API chat port, Bolt's endpoints (or Socket Mode), and their lifecycle. */
export function slackPlatform(opts: SlackPlatformOptions): PlatformAdapter {
  const chat = new SlackChat({
    client: createSlackWebClient({ token: opts.botToken, slackApiUrl: opts.apiUrl }),
    send: createSlackSend({ token: opts.botToken, apiUrl: opts.apiUrl }),
    render: renderMessage,
  });
  let app: SlackApp | undefined;
  return {
    platform: 'slack',
    chat,
    mount(http, core) {
      app = createSlackApp({
        botToken: opts.botToken,
        signingSecret: opts.signingSecret,
        appToken: opts.appToken,
        apiUrl: opts.apiUrl,
        http,
        respond: createSlackRespond(),
        core,
        log: opts.log,
      });
    },
    async start() {
      if (!app) throw new Error('the Slack platform must be mounted before it starts');
      await app.start();
    },
    async stop() {
      await app?.stop();
    },
  };
}
