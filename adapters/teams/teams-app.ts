import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { MessageFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { BotApp } from './bot-app.js';
import express, { type Application as Express, type Request, type Response } from 'express';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import { registerTeamsCommands } from './teams-commands.js';
import { registerTeamsCardActions } from './teams-card-actions.js';
import { registerTeamsInstall } from './teams-install.js';
import { registerTeamsSearch } from './teams-search.js';
import { registerThreadActivities, registerThreadCommand } from './thread-activities.js';

export interface TeamsAdapterOptions {
  /** The bot's Entra ID app. Absent only with allowUnauthenticated (local development). */
  appId?: string | undefined;
  password?: string | undefined;
  tenantId?: string | undefined;
  appType: 'SingleTenant' | 'MultiTenant' | 'UserAssignedMSI';
  allowUnauthenticated: boolean;
  log: Logger;
}

/**
 * teams-ai's adapter, with CloudAdapter's own request handling opened up: its public process() prints
 * the stack trace of every refused request to the console, so /api/messages answers with its own code.
 */
export class BotAdapter extends TeamsAdapter {
  /** Authenticate the activity (JWT) and run the turn; the invoke's answer, if any. Throws AuthenticationError. */
  handle(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authorization, activity, logic);
  }
}

export interface TeamsApp {
  adapter: BotAdapter;
  /** '' when running unauthenticated. */
  appId: string;
}


/**
 * The Teams endpoint, /api/messages, on the shared HTTP server. With an app id, botbuilder
 * validates every incoming activity's JWT (Bot Framework or Entra ID issuer, audience = app id).
 * Without one it would skip validation silently, so that mode must be asked for explicitly.
 */
export function createTeamsAdapter(opts: TeamsAdapterOptions): TeamsApp {
  const log = opts.log.child({ adapter: 'teams' });
  if (!opts.appId && !opts.allowUnauthenticated) {
    throw new Error('Teams needs MICROSOFT_APP_ID (or TEAMS_ALLOW_UNAUTHENTICATED=on for local development)');
  }
  const adapter = opts.appId
    ? new BotAdapter({
        MicrosoftAppId: opts.appId,
        MicrosoftAppPassword: opts.password,
        MicrosoftAppTenantId: opts.tenantId,
        MicrosoftAppType: opts.appType,
      })
    : new BotAdapter({});
  if (!opts.appId) {
    log.warn(
      '!!! Teams endpoint /api/messages is running WITHOUT AUTHENTICATION (TEAMS_ALLOW_UNAUTHENTICATED=on). ' +
        'Anyone who can reach it can act as anyone. Local development only. !!!',
    );
  }
  adapter.onTurnError = async (context: TurnContext, err: unknown) => {
    log.error({ err, activityType: context.activity.type, name: context.activity.name }, 'Teams turn failed');
    // An invoke must get an answer or Teams shows a generic error; a message gets a short apology.
    if (context.activity.type === 'message') {
      await context.sendActivity(MessageFactory.text('処理中にエラーが発生しました。 / Something went wrong.'));
    }
  };

  return { adapter, appId: opts.appId ?? '' };
}

/** The bot's handlers on /api/messages; mounted once the core exists. */
export function mountTeamsApp(opts: TeamsApp & { http: Express; core: Core; log: Logger }): void {
  const log = opts.log.child({ adapter: 'teams' });
  const adapter = opts.adapter;
  const app: BotApp = new Application<TurnState>({
    adapter,
    botAppId: opts.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionSubmitFilter: 'verb' },
    taskModules: { taskDataFilter: 'verb' },
  });
  registerTeamsInstall(app, opts.core, log);
  // Routes match in order: `advisory thread` before the other commands, replies after everything.
  registerThreadCommand(app, opts.core, log);
  registerTeamsCommands(app, opts.core, log);
  registerTeamsCardActions(app, opts.core, log);
  registerTeamsSearch(app, opts.core, log);
  registerThreadActivities(app, opts.core, log);

  // What CloudAdapter.process does, with our own answers: it prints every refused request's stack trace to
  // the console; here a refusal is one pino line (and an outsider probing the endpoint is not an incident).
  opts.http.post('/api/messages', express.json({ limit: '1mb' }), async (req: Request, res: Response) => {
    const activity = parseActivity(req.body);
    if (!activity) {
      log.warn({ ip: req.ip }, 'Teams request without an activity refused');
      res.status(400).end();
      return;
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    try {
      // Validates the Bot Framework / Entra ID JWT (when an app id is configured) before any handler runs.
      const invoke = await adapter.handle(authorization, activity, async (context) => {
        await app.run(context);
      });
      res.status(invoke?.status ?? 200);
      if (invoke?.body !== undefined) res.send(invoke.body);
      res.end();
    } catch (err) {
      if (isAuthenticationError(err)) {
        log.warn({ ip: req.ip, type: activity.type, reason: err instanceof Error ? err.message : String(err) }, 'Teams request refused: not authenticated');
        res.status(401).end();
        return;
      }
      log.error({ err, type: activity.type }, 'Teams request failed');
      res.status(500).end();
    }
  });
  log.info({ endpoint: '/api/messages', authenticated: Boolean(opts.appId) }, 'Teams adapter ready');
}


/** The request body as an activity, with its times as Dates (as botbuilder's own validator does), or null. */
function parseActivity(body: unknown): Activity | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const a = body as Record<string, unknown>;
  if (typeof a['type'] !== 'string' || a['type'] === '') return null;
  for (const key of ['timestamp', 'expiration', 'localTimestamp'] as const) {
    const v = a[key];
    if (typeof v === 'string') {
      a[`raw${key[0]!.toUpperCase()}${key.slice(1)}`] = v;
      a[key] = new Date(v);
    }
  }
  return a as unknown as Activity;
}

/** botframework-connector's AuthenticationError, by name (a second copy of the package must not matter). */
function isAuthenticationError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AuthenticationError' || err.constructor.name === 'AuthenticationError');
}

/** Entra ID endpoints and the Bot Connector's scope, as botframework-connector's AuthenticationConstants name them. */
const LOGIN_URL_PREFIX = 'https://login.microsoftonline.com/';
const MULTI_TENANT_LOGIN_URL = 'https://login.microsoftonline.com/botframework.com';
const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com';

/** What botbuilder's credentials give: a Bot Connector token, cached and renewed by them (MSAL), fresh when forced. */
interface TokenCredentials {
  getToken(forceRefresh?: boolean): Promise<string>;
}

/**
 * The bot's credentials for the Bot Connector, as botbuilder's connector factory makes them for a proactive turn: the
 * app's Entra ID login (its tenant for a single-tenant app, botframework.com otherwise) and the Bot Connector's scope.
 * Undefined when running unauthenticated. Made once; a botbuilder whose credentials cannot give a token is refused.
 */
function connectorCredentials(teams: TeamsApp, opts: Pick<TeamsAdapterOptions, 'tenantId' | 'appType'>): (() => Promise<TokenCredentials>) | undefined {
  if (!teams.appId) return undefined;
  const login = opts.appType === 'SingleTenant' && opts.tenantId ? `${LOGIN_URL_PREFIX}${opts.tenantId}` : MULTI_TENANT_LOGIN_URL;
  let made: Promise<TokenCredentials> | undefined;
  const make = async (): Promise<TokenCredentials> => {
    const credentials = (await teams.adapter.credentialsFactory.createCredentials(teams.appId, BOT_CONNECTOR_SCOPE, login, true)) as Partial<TokenCredentials>;
    if (typeof credentials.getToken !== 'function') throw new Error('botbuilder credentials cannot give a Bot Connector token');
    return credentials as TokenCredentials;
  };
  return () => {
    // A failure is not kept: the next post asks again.
    made ??= make().catch((err: unknown) => {
      made = undefined;
      throw err;
    });
    return made;
  };
}

/** A token from the credentials; `force`: a fresh one from Entra ID rather than the cached one. */
async function tokenOf(credentials: () => Promise<TokenCredentials>, force: boolean): Promise<string> {
  const token = await (await credentials()).getToken(force);
  if (!token) throw new Error('Entra ID returned no token');
  return token;
}

/** The Bot Connector token every proactive post and update carries; undefined when running unauthenticated. */
export function connectorToken(teams: TeamsApp, opts: Pick<TeamsAdapterOptions, 'tenantId' | 'appType'>): (() => Promise<string>) | undefined {
  const credentials = connectorCredentials(teams, opts);
  return credentials && (() => tokenOf(credentials, false));
}

/**
 * Proves the app's credentials by getting a fresh Bot Connector token from Entra ID, as every proactive post will.
 * Undefined when running unauthenticated (there is nothing to check).
 */
export function teamsCredentialCheck(teams: TeamsApp, opts: Pick<TeamsAdapterOptions, 'tenantId' | 'appType'>): (() => Promise<void>) | undefined {
  const credentials = connectorCredentials(teams, opts);
  return credentials && (async () => void (await tokenOf(credentials, true)));
}
