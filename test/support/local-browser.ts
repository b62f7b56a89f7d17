/**
 * The local workspace's browser tests' shared fixture: a temp dir, the bot in-process with LOCAL_WORKSPACE on and
 * its own queue prefix, and Chromium; then pages at a viewport; and the tear-down that leaves Redis and the disk as
 * they were. Each test file keeps only what its own story needs (its directory, ladder, env).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBot, type RunningBot } from '../../src/main.js';
import { createLogger } from '../../src/log.js';
import { REDIS_URL } from './bot-harness.js';
import { launchBrowser } from './browser.js';
import { writeFastPolicies } from './fast-policies.js';
import { deleteQueueKeys } from './queue-keys.js';

export const EXAMPLE_MEMBERS_FILE = 'config/members.example.yaml';

export interface LocalBrowserOptions {
  /** The temp dir's name starts with this, so a leftover dir says which test left it. */
  dirName: string;
  /** The directory: a path, or written into the temp dir; default the example sector. */
  membersFile?: string | ((dir: string) => Promise<string>);
  /** The escalation ladder measured in seconds (support/fast-policies.ts), written into the temp dir. */
  fastLadder?: boolean;
  /** More env for the bot, over the fixture's own. */
  env?: Record<string, string>;
}

/** The workspace's HTTP API, acting as `user` (what the page itself calls). */
export type LocalApi = <T = unknown>(method: string, path: string, user: string, body?: unknown) => Promise<{ status: number; json: T }>;

export interface LocalBrowser {
  bot: RunningBot;
  browser: Browser;
  dir: string;
  /** This file's queue prefix: its Redis keys, deleted at close. */
  prefix: string;
  api: LocalApi;
}

export type Viewport = { width: number; height: number };

export async function startLocalBrowser(options: LocalBrowserOptions): Promise<LocalBrowser> {
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const dir = await mkdtemp(join(tmpdir(), `ceptoar-${options.dirName}-`));
  let bot: RunningBot | undefined;
  try {
    const membersFile = typeof options.membersFile === 'function' ? await options.membersFile(dir) : (options.membersFile ?? EXAMPLE_MEMBERS_FILE);
    bot = await startBot({
      // No HOST: the local workspace must choose 127.0.0.1 by itself (local-workspace.browser.test.ts checks it).
      env: {
        LOCAL_WORKSPACE: 'on',
        PORT: '0',
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        DATA_DIR: join(dir, 'data'),
        MEMBERS_FILE: membersFile,
        ...(options.fastLadder === true ? { ESCALATION_FILE: await writeFastPolicies(join(dir, 'escalation.yaml')) } : {}),
        ...options.env,
      },
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    });
    const browser = await launchBrowser();
    return { bot, browser, dir, prefix, api: localApi(bot.url) };
  } catch (err) {
    // beforeAll failed half way: afterAll has no fixture to close, so undo what did start here.
    await bot?.close();
    await deleteQueueKeys(REDIS_URL, prefix);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * A page on the workspace at `viewport` in Japanese. With `at`, opened as that user in that channel and ready when
 * the channel's messages are drawn; without, at the start page and ready when the user select is enabled (the
 * session has loaded), so that a test's first choice of user does not race the page's start.
 */
export async function openLocalPage(local: LocalBrowser, viewport: Viewport, at?: { user: string; channel: string }): Promise<Page> {
  const page = await local.browser.newPage({ viewport, locale: 'ja-JP' });
  if (at) {
    await page.goto(`${local.bot.url}/?user=${at.user}&channel=${at.channel}`);
    await page.locator(`#messages[data-channel-id="${at.channel}"]`).waitFor({ timeout: 15_000 });
  } else {
    await page.goto(`${local.bot.url}/`);
    await page.getByTestId('user-select').and(page.locator(':enabled')).waitFor({ timeout: 15_000 });
  }
  return page;
}

/** Close what startLocalBrowser started; undefined when it never did (its own failure cleaned up). */
export async function closeLocalBrowser(local: LocalBrowser | undefined): Promise<void> {
  if (!local) return;
  await local.browser.close();
  await local.bot.close();
  await deleteQueueKeys(REDIS_URL, local.prefix);
  await rm(local.dir, { recursive: true, force: true });
}

export function localApi(url: string): LocalApi {
  return async <T>(method: string, path: string, user: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'x-local-user': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  };
}

