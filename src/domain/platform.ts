import { z } from 'zod';

export const PLATFORMS = ['slack', 'teams', 'local'] as const;
export const Platform = z.enum(PLATFORMS);
export type Platform = z.infer<typeof Platform>;

/** A person as a chat platform identifies them. */
export interface Actor {
  platform: Platform;
  userId: string;
  /** Display name as the platform gave it; informational only, never used for authorisation. */
  name?: string | undefined;
}

export function actorKey(actor: Pick<Actor, 'platform' | 'userId'>): string {
  return `${actor.platform}/${actor.userId}`;
}

/** Where a message lives on a platform (Slack: channel + ts). */
export interface MessageRef {
  platform: Platform;
  channelId: string;
  messageId: string;
}

/** The same message: every part of the ref equal. */
export function sameMessageRef(a: MessageRef, b: MessageRef): boolean {
  return a.platform === b.platform && a.channelId === b.channelId && a.messageId === b.messageId;
}
