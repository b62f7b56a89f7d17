import type { Application } from 'express';
import type { Core } from '../core.js';
import type { ConversationRecord } from '../domain/conversation.js';
import type { Platform } from '../domain/platform.js';
import type { ChatPort } from './chat.js';

/**
 * One chat platform, as the composition root sees it: its outbound chat port, its inbound endpoints
 * and its lifecycle. Each adapter folder exports one factory that returns this; src/main.ts composes
 * a list. Adding a platform is one folder and one line there.
 *
 * Order: created (chat ready) → the core is built with every chat → mount(http, core) → start() →
 * … → stop(). Nothing an adapter does before mount() may need the core.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  readonly chat: ChatPort;
  /** Register the platform's inbound endpoints (commands, button presses, installs) on the shared HTTP app. */
  mount(http: Application, core: Core): void;
  /** Connect where the platform needs it (Slack Socket Mode); resolves when ready to receive. */
  start(): Promise<void>;
  /** Disconnect and release what start() and the chat port hold. */
  stop(): Promise<void>;
}

/**
 * A platform adapter's own records of where it can post (Teams: the service URL, tenant and bot id of
 * each conversation it was added to or opened), kept in the bot's store but read by the adapter alone.
 */
export interface ConversationStore {
  save(record: Omit<ConversationRecord, 'updatedAt'>): Promise<void>;
  get(conversationId: string): Promise<ConversationRecord | null>;
  /** The most recently updated conversation of a tenant: its service URL reaches the tenant's others. */
  latestInTenant(tenantId: string): Promise<ConversationRecord | null>;
}
