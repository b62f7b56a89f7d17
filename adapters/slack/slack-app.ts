import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import type { Application } from 'express';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import { registerAckAction } from './ack-action.js';
import type { SlackRespond } from './slack-respond.js';
import { boltLogger } from './bolt-logger.js';
import { registerTargetOptions } from './target-options.js';
import { registerPhoneActions } from './phone-actions.js';
import { registerAdvisoryCommand } from './advisory-command.js';
import { registerAdvisorySubmission } from './advisory-submission.js';
import { registerLifecycleSubmissions } from './lifecycle-command.js';
import { registerThreadEvents } from './thread-events.js';

export interface SlackAppOptions {
  botToken: string;
  /** HTTP mode: requests are verified with it (Bolt does the check). */
  signingSecret?: string | undefined;
  /** Socket Mode, when set: no public endpoint needed. */
  appToken?: string | undefined;
  /** Base URL of the Web API, for tests. */
  apiUrl?: string | undefined;
  /** The shared HTTP app; in HTTP mode Bolt mounts /slack/events on it. */
  http: Application;
  /** The acknowledge button's answers through the response URL, on the kept-alive path (slack-respond.ts). */
  respond: SlackRespond;
  core: Core;
  log: Logger;
}

export interface SlackApp {
  /** Check the token (auth.test) and, in Socket Mode, connect. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createSlackApp(opts: SlackAppOptions): SlackApp {
  const log = opts.log.child({ adapter: 'slack' });
  const clientOptions = {
    ...(opts.apiUrl ? { slackApiUrl: opts.apiUrl } : {}),
    // views.open must happen within the trigger's 3 s; a slow retry would only fail later.
    retryConfig: { retries: 1, factor: 1, minTimeout: 200, maxTimeout: 500 },
  };
  const socketMode = Boolean(opts.appToken);
  const logger = boltLogger(log);
  const receiver =
    socketMode || !opts.signingSecret
      ? undefined
      : new ExpressReceiver({
          signingSecret: opts.signingSecret,
          endpoints: '/slack/events',
          app: opts.http,
          // Ack first, work after: Bolt answers Slack as soon as ack() is called.
          processBeforeResponse: false,
          logger,
          logLevel: LogLevel.WARN,
        });
  const app = new App({
    token: opts.botToken,
    clientOptions,
    deferInitialization: true,
    logger,
    logLevel: LogLevel.WARN,
    ...(receiver ? { receiver } : { socketMode: true, appToken: opts.appToken }),
  });

  registerAdvisoryCommand(app, opts.core, log);
  registerAdvisorySubmission(app, opts.core, log);
  registerLifecycleSubmissions(app, opts.core, log);
  registerAckAction(app, opts.core, log, opts.respond);
  registerTargetOptions(app, opts.core, log);
  registerPhoneActions(app, opts.core, log);
  registerThreadEvents(app, opts.core, log);
  app.error(async (err) => {
    log.error({ err }, 'unhandled error in a Slack listener');
  });

  return {
    async start() {
      await app.init();
      if (socketMode) await app.start();
      log.info({ mode: socketMode ? 'socket' : 'http', endpoint: socketMode ? undefined : '/slack/events' }, 'Slack adapter ready');
    },
    async stop() {
      if (socketMode) await app.stop();
    },
  };
}

