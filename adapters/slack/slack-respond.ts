import type { RespondArguments } from '@slack/bolt';
import { BotError } from '../../src/errors.js';
import { keepAliveJson, type JsonAnswer } from '../../src/lib/keep-alive-json.js';

/** Posts a message to an interaction's response_url (an ephemeral to the presser, or the pressed message replaced). */
export type SlackRespond = (responseUrl: string, message: RespondArguments) => Promise<void>;

export interface SlackRespondOptions {
  /** Per request; default 10 s. */
  timeoutMs?: number;
}

/**
 * What Bolt's `respond()` does (one JSON POST to the response_url, a non-2xx answer an error), on the kept-alive path
 * the posts take (keep-alive-json.ts). Why not Bolt's: it goes through the global fetch (undici, web streams), whose
 * frames were ~10 % of a 2,000-press burst's profile by stack (async continuations included). Measured, with the
 * refresh's round trip saved beside it: the bot's CPU per press −7 % (docs/BENCHMARKS.md; this change alone was within
 * the noise of its sittings). No retry, as Bolt's: the ephemeral is said once.
 *
 * The URL is the one in the request Bolt has verified (signed by Slack); only http(s) is followed. A failure is
 * CHAT.UNAVAILABLE with Slack's status (none when no answer came): it reaches the log, never the presser, whom the
 * response_url was the only way to reach.
 */
export function createSlackRespond(opts: SlackRespondOptions = {}): SlackRespond {
  const request = keepAliveJson({ timeoutMs: opts.timeoutMs ?? 10_000 });
  return async (responseUrl, message) => {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch (err) {
      throw failed('the response_url is not a URL', undefined, err);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw failed(`the response_url is not http(s): ${url.protocol}`, undefined);
    let answered: JsonAnswer;
    try {
      answered = await request('POST', url, message);
    } catch (err) {
      throw failed('the response_url did not answer', undefined, err);
    }
    // Slack answers 2xx when it took the message; an expired or used URL is a 404 (said in the body). A 1xx is never
    // a final answer (Node reads past it), so anything under 300 is taken.
    if (answered.statusCode >= 300) {
      throw failed(`the response_url answered ${answered.statusCode}: ${answered.body.slice(0, 200)}`, answered.statusCode);
    }
  };
}

function failed(message: string, status: number | undefined, cause?: unknown): BotError {
  return new BotError('CHAT.UNAVAILABLE', message, { via: 'response_url', ...(status === undefined ? {} : { status }) }, { cause });
}
