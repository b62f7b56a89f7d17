/**
 * The local workspace's HTTP side (the contract is local-api.ts): the page, its JSON API and its
 * event stream. Transport only, like the Slack and Teams edges: it says who is acting and where,
 * plays the platform's channel membership, and lets the core decide everything else.
 */
import { mountLifecycleRoutes } from './local-lifecycle-routes.js';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Core } from '../../src/core.js';
import type { AdvisoryInput } from '../../src/domain/advisory.js';
import type { Actor } from '../../src/domain/platform.js';
import type { ErrorCode } from '../../src/errors.js';
import type { Bilingual } from '../../src/i18n/text.js';
import { FIELD_ERROR } from '../../src/i18n/form-text.js';
import type { Logger } from '../../src/log.js';
import { errorView, type ErrorView } from '../../src/view/error-view.js';
import { LOCAL_ACTIONS, type LocalAction, type LocalChannel, type LocalError, type LocalMessage, type LocalSession, type LocalUser } from './local-api.js';
import { REPLY_MAX, type LocalChat } from './local-chat.js';
import { LOCAL_I18N, localFormOptions } from './local-text.js';
import { mountPreviewRoutes } from './local-preview-route.js';
import { mountStatusRoutes } from './local-status-routes.js';
import { ackNotice, BOARD_CLAIM_ACTION, phoneActionOfButton, readBoardClaimValue, readPhoneButtonValue } from '../../src/view/buttons.js';

export interface LocalRouterOptions {
  core: Core;
  chat: LocalChat;
  session: () => LocalSession;
  log: Logger;
  /** adapters/local/public: index.html and the page's files. */
  publicDir: string;
  /** Comment lines that keep the event stream open through proxies; default 15 s. */
  heartbeatMs?: number;
}

export const USER_HEADER = 'x-local-user';
/** An advisory body is at most 12,000 characters: as JSON \u escapes that is still under 100 kB. */
const ADVISORY_BODY_LIMIT = '256kb';
// A 4,000-character reply is at most 24 kB even as \u escapes.
const SMALL_BODY_LIMIT = '32kb';
const REQUEST_KEY_MAX = 200;
const ID_MAX = 200;

/** A refusal the route itself makes (membership, malformed request), already in the contract's shape. */
export class LocalHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: Bilingual,
    readonly fields?: Record<string, Bilingual>,
  ) {
    super(`${status} ${code}`);
    this.name = 'LocalHttpError';
  }
}

const TEXT = {
  unknownUser: { ja: '操作するユーザーを選択してください。', en: 'Choose who you are acting as.' },
  channelNotFound: { ja: 'チャンネルが見つかりません。', en: 'No such channel.' },
  notMember: { ja: 'このチャンネルのメンバーではありません。', en: 'You are not a member of this channel.' },
  messageNotFound: { ja: 'このチャンネルにそのメッセージはありません。', en: 'No such message in this channel.' },
  invalid: { ja: '入力内容に誤りがあります。', en: 'Some fields are not valid.' },
  badJson: { ja: 'リクエストの形式が正しくありません。', en: 'The request is not valid JSON.' },
  tooLarge: { ja: '入力が大きすぎます。', en: 'The request is too large.' },
  required: { ja: '必須です。', en: 'Required.' },
  replyText: { ja: '返信を入力してください。', en: 'Enter a reply.' },
  reply: { ja: '返信', en: 'reply' },
  unknownAction: { ja: '不明な操作です。', en: 'Unknown action.' },
  chooseTask: { ja: '担当する依頼を選んでください。', en: 'Choose a task to claim.' },
} satisfies Record<string, Bilingual>;


/** HTTP status for a coded error from the core. */
export function statusForCode(code: ErrorCode): number {
  if (code.startsWith('AUTH.')) return 403;
  if (code.endsWith('.NOT_FOUND')) return 404;
  if (code === 'ADVISORY.INVALID' || code === 'DIRECTORY.UNKNOWN_TARGET') return 400;
  if (code === 'CONFIG.INVALID' || code === 'DIRECTORY.INVALID' || code === 'CHAT.UNAVAILABLE') return 500;
  return 409;
}

/** The contract's error body: the view every platform shows, with an HTTP status and fields keyed by name. */
export function localErrorOf(view: ErrorView): { status: number; body: LocalError } {
  const status = view.code === 'INTERNAL' ? 500 : statusForCode(view.code);
  const fields: Record<string, Bilingual> = {};
  // The first problem of each field is the one to fix first.
  for (const f of view.fields ?? []) fields[f.field] ??= f.message;
  return { status, body: { error: { code: view.code, message: view.message, ...(view.fields ? { fields } : {}) } } };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const shortString = (v: unknown, max = ID_MAX): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

export function localRouter(opts: LocalRouterOptions): Router {
  const { core, chat, log, publicDir } = opts;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const router = express.Router();
  const small = express.json({ limit: SMALL_BODY_LIMIT });
  const large = express.json({ limit: ADVISORY_BODY_LIMIT });

  const actorOf = (user: LocalUser): Actor => ({ platform: 'local', userId: user.id, name: user.name });

  const identify = (req: Request): LocalUser => {
    const id = req.get(USER_HEADER);
    const user = id ? chat.user(id) : undefined;
    if (!user) throw new LocalHttpError(400, 'LOCAL.UNKNOWN_USER', TEXT.unknownUser);
    return user;
  };

  const channelFor = (user: LocalUser, channelId: string): LocalChannel => {
    const channel = chat.channel(channelId);
    if (!channel) throw new LocalHttpError(404, 'LOCAL.CHANNEL_NOT_FOUND', TEXT.channelNotFound);
    if (!channel.members.includes(user.id)) {
      log.warn({ user: user.id, channel: channelId }, 'local workspace: not a member of the channel');
      throw new LocalHttpError(403, 'LOCAL.NOT_A_MEMBER', TEXT.notMember);
    }
    return channel;
  };

  const messageIn = (channelId: string, messageId: string): LocalMessage => {
    const message = chat.message(messageId);
    if (!message || message.channelId !== channelId) throw new LocalHttpError(404, 'LOCAL.MESSAGE_NOT_FOUND', TEXT.messageNotFound);
    return message;
  };

  const sendError = (res: Response, err: unknown, context: Record<string, unknown>): void => {
    if (res.headersSent) {
      log.error({ ...context, err }, 'local workspace: error after the response started');
      return;
    }
    if (err instanceof LocalHttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.text, ...(err.fields ? { fields: err.fields } : {}) } } satisfies LocalError);
      return;
    }
    const { status, body } = localErrorOf(errorView(err, log, context));
    res.status(status).json(body);
  };

  /** Every route's errors become the contract's LocalError, logged once. */
  const route =
    (name: string, fn: (req: Request, res: Response) => Promise<void> | void) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        await fn(req, res);
      } catch (err) {
        sendError(res, err, { route: name, user: req.get(USER_HEADER) });
      }
    };

  // ---- the page ------------------------------------------------------------------------------

  router.get('/', (_req, res) => {
    res.sendFile('index.html', { root: publicDir, headers: { 'Cache-Control': 'no-cache' } }, (err) => {
      if (err && !res.headersSent) {
        log.warn({ err: err.message }, 'local workspace page not found');
        res.status(404).type('text/plain').send('The local workspace page (adapters/local/public/index.html) is missing.');
      }
    });
  });
  router.use('/local/static', express.static(publicDir, { index: false, fallthrough: true }));

  router.use('/local/api', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  // ---- who and where ---------------------------------------------------------------------------

  // Everyone may be picked (the page's "acting as" list), but the channels are only the acting user's, as Slack and
  // Teams list only the private channels and direct messages a person is in; without the header, none.
  router.get(
    '/local/api/session',
    route('session', (req, res) => {
      const user = req.get(USER_HEADER) === undefined ? undefined : identify(req);
      const session = opts.session();
      res.json({ ...session, channels: user ? session.channels.filter((c) => c.members.includes(user.id)) : [] } satisfies LocalSession);
    }),
  );

  router.get('/local/api/i18n', (_req, res) => {
    res.json(LOCAL_I18N);
  });

  router.get(
    '/local/api/channels/:id/messages',
    route('messages', (req, res) => {
      const user = identify(req);
      const channel = channelFor(user, String(req.params['id']));
      res.json({ messages: chat.messages(channel.id) });
    }),
  );

  router.post(
    '/local/api/channels/:id/replies',
    // Large enough for a paste well over the limit (20,000 Japanese characters is 60 KB) to be answered with its count.
    large,
    route('reply', async (req, res) => {
      const user = identify(req);
      const channel = channelFor(user, String(req.params['id']));
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      const text = typeof body['text'] === 'string' ? body['text'].trim() : '';
      const fields: Record<string, Bilingual> = {};
      if (!shortString(body['threadOf'])) fields['threadOf'] = TEXT.required;
      if (text.length === 0) fields['text'] = TEXT.replyText;
      // With the count, as the page says it: a paste over the limit is answered with its size, never cut.
      else if (text.length > REPLY_MAX) fields['text'] = FIELD_ERROR.tooLong(TEXT.reply, REPLY_MAX, text.length);
      if (Object.keys(fields).length > 0) throw new LocalHttpError(400, 'LOCAL.INVALID', TEXT.invalid, fields);
      const parent = messageIn(channel.id, body['threadOf'] as string);
      // One level of threads, as in Slack: a reply to a reply joins the same thread.
      const root = parent.threadOf ?? parent.id;
      const message = chat.reply(channel.id, root, text, user);
      // Into the record, as a Slack or Teams reply is (the core keeps it only in a delivery's thread).
      await core.recordThreadMessage({
        kind: 'posted',
        message: { platform: 'local', channelId: channel.id, messageId: message.id },
        root: { platform: 'local', channelId: channel.id, messageId: root },
        author: actorOf(user),
        text,
        at: message.createdAt,
      });
      res.status(201).json(message);
    }),
  );

  // A member's whole thread, for the secretariat's status panel (the core decides who may read it).
  router.get(
    '/local/api/deliveries/:id/thread',
    route('thread', async (req, res) => {
      const user = identify(req);
      res.json(await core.threadOf(actorOf(user), { deliveryId: String(req.params['id']) }));
    }),
  );

  // ---- the secretariat -------------------------------------------------------------------------

  router.get(
    '/local/api/form',
    route('form', async (req, res) => {
      const user = identify(req);
      res.json(localFormOptions(await core.openAdvisoryForm(actorOf(user))));
    }),
  );

  // The drill template's entries for the form (the page fills its inputs with them): secretariat only, as the form.
  router.get(
    '/local/api/form/drill',
    route('drill-form', async (req, res) => {
      const user = identify(req);
      const form = await core.openDrillForm(actorOf(user));
      res.json({ entries: form.entries });
    }),
  );

  router.post(
    '/local/api/advisories',
    large,
    route('issue', async (req, res) => {
      const user = identify(req);
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      if (!shortString(body['requestKey'], REQUEST_KEY_MAX)) {
        throw new LocalHttpError(400, 'LOCAL.INVALID', TEXT.invalid, { requestKey: TEXT.required });
      }
      const result = await core.issueAdvisory({
        actor: actorOf(user),
        // Namespaced by user, as a Slack view id is: two people's forms never share a key.
        requestKey: `local/${user.id}/${body['requestKey']}`,
        // The core validates it (zod) and answers ADVISORY.INVALID with the issues.
        input: body['input'] as AdvisoryInput,
      });
      res.status(201).json({
        advisoryId: result.advisory.id,
        deliveries: result.deliveries.length,
        created: result.created,
        // false: stored, but the queue is down; delivery starts when it is back (the page says so).
        queued: result.queued,
        withoutChannel: result.withoutChannel.map((o) => ({ id: o.id, name: o.name })),
      });
    }),
  );

  mountPreviewRoutes(router, { core, large, route, identify, actorOf });
  mountLifecycleRoutes(router, { core, large, route, identify, actorOf });

  mountStatusRoutes(router, { core, route, identify, actorOf });

  router.get(
    '/local/api/oncall',
    route('oncall', async (req, res) => {
      const user = identify(req);
      res.json(await core.oncallList(actorOf(user)));
    }),
  );

  // ---- buttons ---------------------------------------------------------------------------------

  router.post(
    '/local/api/press',
    small,
    route('press', async (req, res) => {
      const user = identify(req);
      const body: Record<string, unknown> = isRecord(req.body) ? req.body : {};
      const fields: Record<string, Bilingual> = {};
      if (!shortString(body['channelId'])) fields['channelId'] = TEXT.required;
      if (!shortString(body['messageId'])) fields['messageId'] = TEXT.required;
      if (!(LOCAL_ACTIONS as readonly unknown[]).includes(body['action'])) fields['action'] = TEXT.unknownAction;
      if (body['action'] === BOARD_CLAIM_ACTION) {
        // The board's claim names the chosen task: required, and a task id as the core reads one (no spaces, bounded).
        if (body['value'] === undefined || body['value'] === null || body['value'] === '') fields['value'] = TEXT.chooseTask;
        else if (readBoardClaimValue(body['value']) === undefined) fields['value'] = TEXT.invalid;
      } else if (body['value'] !== undefined && body['value'] !== null && !shortString(body['value'])) fields['value'] = TEXT.invalid;
      if (Object.keys(fields).length > 0) throw new LocalHttpError(400, 'LOCAL.INVALID', TEXT.invalid, fields);
      const action = body['action'] as LocalAction;
      const value = typeof body['value'] === 'string' ? body['value'] : undefined;
      const channel = channelFor(user, body['channelId'] as string);
      const pressed = messageIn(channel.id, body['messageId'] as string);
      const actor = actorOf(user);
      const message = { platform: 'local' as const, channelId: channel.id, messageId: pressed.id };

      if (action === 'advisory_ack') {
        const result = await core.acknowledgeFromMessage({ actor, message, claimedDeliveryId: value });
        // The queue is down: no refresh job will run, and this workspace's messages are ours to update.
        if (!result.refreshQueued) await core.refreshMessages(result.delivery.id);
        res.json({ notice: ackNotice(result) });
        return;
      }
      if (action === BOARD_CLAIM_ACTION) {
        // Checked above: a task id. The core checks that the press came from this task's board.
        const taskId = readBoardClaimValue(value) as string;
        const result = await core.claimFromBoard({ actor, message, taskId });
        // The queue is down: no job will hand the task to the claimer or redraw the board, and both are ours to post.
        if (!result.refreshQueued) {
          await core.refreshPhoneTask(result.task.id);
          await core.refreshPhoneBoard(result.task.advisoryId);
        }
        // As the other phone buttons: the board and the claimer's copy show the claim; only a refusal is worded.
        res.json({});
        return;
      }
      // The task message is updated by a refresh job; the person hears only when something stopped them.
      const phoneAction = phoneActionOfButton(action);
      if (!phoneAction) throw new LocalHttpError(400, 'LOCAL.INVALID', TEXT.unknownAction, { action: TEXT.unknownAction });
      // A "reached" choice's value is the task id and the contact it names (readPhoneButtonValue).
      const { taskId, choice } = readPhoneButtonValue(value);
      const result = await core.phoneTaskAction({ actor, message, claimedTaskId: taskId, action: phoneAction, choice });
      if (!result.refreshQueued) await core.refreshPhoneTask(result.task.id);
      res.json({});
    }),
  );

  // ---- events ----------------------------------------------------------------------------------

  router.get('/local/events', (req, res) => {
    const id = typeof req.query['user'] === 'string' ? req.query['user'] : undefined;
    const user = id ? chat.user(id) : undefined;
    if (!user) {
      sendError(res, new LocalHttpError(400, 'LOCAL.UNKNOWN_USER', TEXT.unknownUser), { route: 'events' });
      return;
    }
    res.status(200);
    res.set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 3000\n: connected\n\n');

    const send = (event: string, data: unknown) => {
      if (!res.writableEnded) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = [
      chat.onMessage((m) => {
        if (chat.isMember(user.id, m.channelId)) send('message', m);
      }),
      chat.onChannel((c) => {
        if (c.members.includes(user.id)) send('channel', c);
      }),
      chat.onClose(() => res.end()),
    ];
    const heartbeat = setInterval(() => {
      if (!res.writableEnded) res.write(': heartbeat\n\n');
    }, heartbeatMs);
    heartbeat.unref();
    res.on('close', () => {
      clearInterval(heartbeat);
      for (const u of unsubscribe) u();
    });
  });

  // Body parser failures (malformed JSON, too large) in the contract's shape.
  router.use('/local', (err: unknown, req: Request, res: Response, next: NextFunction) => {
    const type = isRecord(err) ? err['type'] : undefined;
    if (type === 'entity.too.large') {
      sendError(res, new LocalHttpError(413, 'LOCAL.TOO_LARGE', TEXT.tooLarge), {});
      return;
    }
    if (type === 'entity.parse.failed' || type === 'encoding.unsupported' || type === 'charset.unsupported') {
      sendError(res, new LocalHttpError(400, 'LOCAL.BAD_JSON', TEXT.badJson), {});
      return;
    }
    if (res.headersSent) {
      next(err);
      return;
    }
    sendError(res, err, { route: req.path, user: req.get(USER_HEADER) });
  });

  return router;
}
