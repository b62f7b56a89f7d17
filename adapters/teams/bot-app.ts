import type { Application, TurnState } from '@microsoft/teams-ai';
import { CardFactory } from 'botbuilder';

/** The teams-ai application the handlers register on (teams-app.ts builds it). */
export type BotApp = Application<TurnState>;

/** An Adaptive Card as a Bot Framework attachment. */
export function cardAttachment(card: object) {
  return CardFactory.adaptiveCard(card);
}
