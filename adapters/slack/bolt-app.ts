import type { App } from '@slack/bolt';

/** The Bolt app the handlers register on (slack-app.ts builds it; the handlers only need its type). */
export type BoltApp = App;
