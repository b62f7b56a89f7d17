/**
 * What the page holds while it runs: the session, the acting user, the open channel and its messages, the
 * event stream and the side panels. One shared object; every module reads and writes it through this import.
 */

export const state = {
  session: null,
  i18n: null,
  users: new Map(),
  channels: new Map(),
  user: null,
  /** Bumped on every user switch: answers to an older user's requests are dropped. */
  gen: 0,
  channelId: null,
  /** Bumped on every channel switch. */
  chanGen: 0,
  loading: false,
  /** The open channel's messages by id, and their elements. */
  messages: new Map(),
  msgEls: new Map(),
  /** The oldest top-level message drawn, when older ones are left undrawn; null when all are drawn. */
  renderedFrom: null,
  unread: new Map(),
  /** Ids already counted as unread, so a replayed event is not counted twice. */
  counted: new Set(),
  /** Channels named by an event but not by the session: the session is reloaded once for each. */
  unknownChannels: new Set(),
  sidebarItems: new Map(),
  es: null,
  esRetry: null,
  /** Side panels (issue form + status; on-call list), kept while the user stays, so typed input survives. */
  panels: new Map(),
  form: null,
  /** The one status view on screen: { advisoryId, container }. */
  status: null,
  /** requestKey of a submission that got no answer, reused if the same input is sent again. */
  pendingIssue: null,
};

export function currentChannel() {
  return state.channelId ? state.channels.get(state.channelId) : undefined;
}

export function isMember(ch) {
  return !!(ch && state.user && Array.isArray(ch.members) && ch.members.includes(state.user.id));
}

export function applySession(session) {
  state.session = session;
  state.users = new Map((session.users ?? []).map((u) => [u.id, u]));
  state.channels = new Map((session.channels ?? []).map((c) => [c.id, c]));
}
