/**
 * The local browser workspace, assembled for the composition root:
 *   const ws = createLocalWorkspace({ file, dataDir, log, demoTimings });
 *   const directory = new Directory(ws.directoryFile);   chats.local = ws.chat;
 *   const core = new Core({ ..., directory, chats });     ws.mount(http.app, core);
 *   ... on shutdown: ws.close() (after the HTTP server and the workers have stopped).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Application } from 'express';
import type { Clock } from '../../src/clock.js';
import type { Core } from '../../src/core.js';
import type { PlatformAdapter } from '../../src/ports/platform-adapter.js';
import type { DirectoryFile } from '../../src/directory/schema.js';
import type { Logger } from '../../src/log.js';
import type { LocalSession } from './local-api.js';
import { LocalChat } from './local-chat.js';
import { localWorkspace } from './local-directory.js';
import { LOCAL_MESSAGES_FILE, LocalMessages } from './local-messages.js';
import { localRouter } from './local-routes.js';

export const LOCAL_PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface LocalWorkspaceOptions {
  /** The member directory as loaded (loadDirectoryFile): its channels and users are replaced by local ones. */
  file: DirectoryFile;
  /** Where `local-workspace.sqlite` lives; ':memory:' keeps the messages in memory only (tests). */
  dataDir: string;
  log: Logger;
  /** Short escalation ladders are in force: the page says so. */
  demoTimings: boolean;
  /** The clock the core runs on (default: the system clock), so `findPost`'s `since` agrees with it. */
  clock?: Clock;
  /** Default: this folder's public/. */
  publicDir?: string;
  /** Event-stream heartbeat; default 15 s. */
  heartbeatMs?: number;
}

/** The local workspace as one platform; it also plays the sector, so it brings its own directory. */
export interface LocalWorkspace extends PlatformAdapter {
  readonly platform: 'local';
  /** For `new Directory(...)`: the same sector with local channels and user ids. */
  directoryFile: DirectoryFile;
  /** The chat port (chats.local). */
  readonly chat: LocalChat;
  /** What GET /local/api/session answers. */
  session(): LocalSession;
  /** GET / (the page), /local/static/*, /local/api/*, /local/events. */
  mount(http: Application, core: Core): void;
  close(): void;
}

export function createLocalWorkspace(opts: LocalWorkspaceOptions): LocalWorkspace {
  const { file, users, channels } = localWorkspace(opts.file);
  let filename = ':memory:';
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    filename = path.resolve(opts.dataDir, LOCAL_MESSAGES_FILE);
  }
  const messages = new LocalMessages(filename);
  const chat = new LocalChat({ messages, users, channels, log: opts.log, ...(opts.clock ? { clock: opts.clock } : {}) });
  const sector = { id: file.sector.id, name: file.sector.name };
  const session = (): LocalSession => ({ sector, users: chat.users(), channels: chat.channels(), demoTimings: opts.demoTimings });
  opts.log.info({ where: filename, users: users.length, channels: channels.length }, 'local workspace open');
  const close = () => {
    chat.close();
    messages.close();
  };
  return {
    platform: 'local',
    directoryFile: file,
    chat,
    session,
    mount(http, core) {
      http.use(
        localRouter({
          core,
          chat,
          session,
          log: opts.log,
          publicDir: opts.publicDir ?? LOCAL_PUBLIC_DIR,
          ...(opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
        }),
      );
    },
    close,
    async start() {},
    // After the HTTP server and the workers have stopped: the page's messages are in SQLite.
    async stop() {
      close();
    },
  };
}
