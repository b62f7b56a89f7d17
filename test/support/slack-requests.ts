/**
 * Builds requests as Slack sends them to /slack/events: form-encoded, signed with the signing
 * secret (v0 HMAC-SHA256 over "v0:timestamp:body"), so the real Bolt receiver verifies them.
 */
import { createHmac } from 'node:crypto';

export interface SignedPostOptions {
  /** Seconds since the epoch to claim; default now. Old values test replay protection. */
  timestamp?: number;
  /** Sign with another secret, to test refusal. */
  secret?: string;
}

export interface SlackPostResult {
  status: number;
  text: string;
  json: unknown;
}

export class SlackSender {
  constructor(
    private readonly endpoint: string,
    private readonly secret: string,
  ) {}

  async post(body: string, options: SignedPostOptions = {}): Promise<SlackPostResult> {
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', options.secret ?? this.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
      body,
    });
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined; // not JSON (an empty ack or an error page): `text` has it
    }
    return { status: res.status, text, json };
  }

  /**
   * An Events API delivery: the JSON envelope (FakeSlack.memberReply and friends build it), signed. A
   * retry is the same envelope again with X-Slack-Retry-Num (1, 2, 3) and X-Slack-Retry-Reason, as
   * Slack sends one when it had no answer in 3 seconds.
   */
  async event(envelope: object, options: SignedPostOptions & { retryNum?: number; retryReason?: string } = {}): Promise<SlackPostResult> {
    const body = JSON.stringify(envelope);
    const ts = options.timestamp ?? Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', options.secret ?? this.secret).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(this.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
        ...(options.retryNum === undefined ? {} : { 'x-slack-retry-num': String(options.retryNum), 'x-slack-retry-reason': options.retryReason ?? 'http_timeout' }),
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, text, json: text ? safeJson(text) : undefined };
  }

  command(fields: { command?: string; text: string; userId: string; userName?: string; channelId?: string; responseUrl: string; teamId?: string }, options?: SignedPostOptions) {
    const body = new URLSearchParams({
      token: 'legacy-verification-token',
      team_id: fields.teamId ?? 'T0CEPTOAR0',
      team_domain: 'ceptoar',
      channel_id: fields.channelId ?? 'C0SECRETARIAT',
      channel_name: 'secretariat',
      user_id: fields.userId,
      user_name: fields.userName ?? fields.userId.toLowerCase(),
      command: fields.command ?? '/advisory',
      text: fields.text,
      api_app_id: 'A0CEPTOAR',
      is_enterprise_install: 'false',
      response_url: fields.responseUrl,
      trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
    }).toString();
    return this.post(body, options);
  }

  interaction(payload: Record<string, unknown>, options?: SignedPostOptions) {
    return this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
  }

  viewSubmission(
    fields: { userId: string; userName?: string; viewId: string; callbackId: string; values: Record<string, unknown>; privateMetadata?: string },
    options?: SignedPostOptions,
  ) {
    return this.interaction(
      {
        type: 'view_submission',
        team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
        user: { id: fields.userId, username: fields.userName ?? fields.userId, name: fields.userName ?? fields.userId, team_id: 'T0CEPTOAR0' },
        api_app_id: 'A0CEPTOAR',
        token: 'legacy-verification-token',
        trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
        view: {
          id: fields.viewId,
          team_id: 'T0CEPTOAR0',
          type: 'modal',
          callback_id: fields.callbackId,
          private_metadata: fields.privateMetadata ?? '',
          hash: 'hash',
          state: { values: fields.values },
          blocks: [],
          title: { type: 'plain_text', text: 'x' },
          app_id: 'A0CEPTOAR',
          bot_id: 'B0CEPTOAR',
        },
        response_urls: [],
        is_enterprise_install: false,
      },
      options,
    );
  }

  /**
   * The advisory form as the secretariat uses it: submit the form (the bot answers with its preview,
   * response_action "update"), then press Send on the preview, unchanged. `preview` is the first answer; `sent`
   * is absent when the form came back with errors instead of a preview.
   */
  async submitAdvisory(
    fields: { userId: string; userName?: string; viewId: string; values: Record<string, unknown> },
    options?: SignedPostOptions,
  ): Promise<{ preview: SlackPostResult; sent?: SlackPostResult }> {
    const preview = await this.viewSubmission({ ...fields, callbackId: 'advisory_form' }, options);
    const answer = preview.json as { response_action?: string; view?: { callback_id?: string; private_metadata?: string } } | undefined;
    if (answer?.response_action !== 'update' || !answer.view?.callback_id) return { preview };
    const sent = await this.viewSubmission({ ...fields, callbackId: answer.view.callback_id, privateMetadata: answer.view.private_metadata ?? '' }, options);
    return { preview, sent };
  }

  /** A choice in a static select on a message (the phone-task board's claim): block_actions with `selected_option`. */
  selectPress(
    fields: { userId: string; userName?: string; channelId: string; messageTs: string; actionId: string; value: string; label?: string; responseUrl: string; blockId?: string },
    options?: SignedPostOptions,
  ) {
    return this.interaction(
      {
        type: 'block_actions',
        team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
        user: { id: fields.userId, username: fields.userName ?? fields.userId, name: fields.userName ?? fields.userId, team_id: 'T0CEPTOAR0' },
        api_app_id: 'A0CEPTOAR',
        token: 'legacy-verification-token',
        container: { type: 'message', message_ts: fields.messageTs, channel_id: fields.channelId, is_ephemeral: false },
        trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
        channel: { id: fields.channelId, name: 'oncall' },
        message: { type: 'message', ts: fields.messageTs, text: '' },
        response_url: fields.responseUrl,
        actions: [
          {
            type: 'static_select',
            action_id: fields.actionId,
            block_id: fields.blockId ?? 'phone_board',
            selected_option: { text: { type: 'plain_text', text: fields.label ?? fields.value, emoji: true }, value: fields.value },
            placeholder: { type: 'plain_text', text: '担当する依頼を選ぶ / Claim a task…', emoji: true },
            action_ts: String(Date.now() / 1000),
          },
        ],
        is_enterprise_install: false,
      },
      options,
    );
  }

  buttonPress(
    fields: { userId: string; userName?: string; channelId: string; messageTs: string; actionId: string; value: string; responseUrl: string },
    options?: SignedPostOptions,
  ) {
    return this.interaction(
      {
        type: 'block_actions',
        team: { id: 'T0CEPTOAR0', domain: 'ceptoar' },
        user: { id: fields.userId, username: fields.userName ?? fields.userId, name: fields.userName ?? fields.userId, team_id: 'T0CEPTOAR0' },
        api_app_id: 'A0CEPTOAR',
        token: 'legacy-verification-token',
        container: { type: 'message_attachment', message_ts: fields.messageTs, channel_id: fields.channelId, is_ephemeral: false, attachment_id: 1 },
        trigger_id: `trigger.${Math.random().toString(36).slice(2)}`,
        channel: { id: fields.channelId, name: 'member-channel' },
        message: { type: 'message', ts: fields.messageTs, text: '' },
        response_url: fields.responseUrl,
        actions: [
          {
            type: 'button',
            action_id: fields.actionId,
            block_id: 'ack',
            value: fields.value,
            text: { type: 'plain_text', text: '受領確認 / Acknowledge' },
            action_ts: String(Date.now() / 1000),
          },
        ],
        is_enterprise_install: false,
      },
      options,
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
