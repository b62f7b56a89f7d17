/**
 * Page-wide actions that deep parts of the page trigger (a button in a message opens or refreshes
 * the channel, a sent reply is shown). The modules that own them register them here when they load
 * (main.js imports them all), so a message renderer does not import the channel module that
 * imports it back: the page's module graph stays free of cycles.
 */

const missing = (name) => () => {
  throw new Error(`page action ${name} is not registered`);
};

export const pageActions = {
  /** channel.js: open a channel by id. */
  openChannel: missing('openChannel'),
  /** channel.js: fetch the open channel's messages again (when live events are not flowing). */
  refreshOpenChannel: missing('refreshOpenChannel'),
  /** messages.js: insert or replace a message in the open channel. */
  upsertMessage: missing('upsertMessage'),
};
