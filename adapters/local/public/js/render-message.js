/**
 * One top-level message: the author line, the body for its kind (the same content as
 * adapters/slack/slack-blocks.ts), the press-result slot and the thread.
 */

import { state } from './state.js';
import { both, P } from './i18n.js';
import { formatTokyo } from './format.js';
import { appendAll, el, timeEl } from './dom.js';
import { replyContent, threadBlock } from './render-thread.js';
import { advisoryBody } from './render-advisory.js';
import { noticeBody } from './render-notice.js';
import { reminderBody } from './render-reminder.js';
import { phoneTaskBody } from './render-phone-task.js';
import { keepBoardChoice, phoneBoardBody } from './render-phone-board.js';
import { correctionBlock, followUpBody, lifecycleNoticeBody, replacedBody } from './render-lifecycle.js';
import { imageBody } from './render-image.js';

export function summary(m) {
  const b = m.body;
  if (b.kind === 'reply') return `${b.author?.name ?? ''}: ${String(b.text ?? '').slice(0, 80)}`;
  const v = b.view ?? {};
  return [v.tlp, v.title].filter(Boolean).join(' ');
}

function kindOf(m) {
  return typeof m.body?.kind === 'string' ? m.body.kind : 'unknown';
}

export function buildTopLevel(m) {
  const kind = kindOf(m);
  const headingId = `msg-h-${state.msgEls.size}-${Math.random().toString(36).slice(2, 8)}`;
  const art = el(
    'article',
    {
      class: `msg msg-${kind}`,
      testid: `message-${m.id}`,
      'data-kind': kind,
      'data-message-id': m.id,
      'aria-labelledby': headingId,
    },
    metaLine(m, headingId),
    buildBody(m),
    el('div', { class: 'msg-extra' }),
    threadBlock(m),
  );
  state.msgEls.set(m.id, art);
  return art;
}

function metaLine(m, headingId) {
  const b = m.body;
  const who = b.kind === 'reply' ? b.author?.name ?? '?' : both(P.bot);
  const edited = m.updatedAt && m.createdAt && m.updatedAt !== m.createdAt;
  return el(
    'div',
    { class: 'msg-meta' },
    el('span', { class: 'author', id: headingId }, who, el('span', { class: 'sr-only' }, ` — ${summary(m)}`)),
    ' ',
    timeEl(m.createdAt, 'posted'),
    edited ? el('span', { class: 'edited', title: formatTokyo(m.updatedAt) }, ` (${both(P.updated)} ${formatTokyo(m.updatedAt)})`) : null,
  );
}

export function replaceMessage(node, m) {
  const kind = kindOf(m);
  node.setAttribute('data-kind', kind);
  if (node.tagName === 'LI') {
    // A follow-up's press result stays under it, as under a top-level message; a stale "sending…" does not.
    const kept = node.querySelector(':scope > .msg-extra');
    kept?.querySelector('[data-testid="notice-text"][data-state="pending"]')?.remove();
    node.replaceChildren(...replyContent(m), ...(kept ? [kept] : []));
    return;
  }
  node.className = `msg msg-${kind}`;
  const headingId = node.getAttribute('aria-labelledby');
  node.querySelector(':scope > .msg-meta')?.replaceWith(metaLine(m, headingId));
  const before = node.querySelector(':scope > .msg-body');
  const after = buildBody(m);
  if (kind === 'phone_board') keepBoardChoice(before, after);
  before?.replaceWith(after);
  const extra = node.querySelector(':scope > .msg-extra');
  // The result of the press that led to this update stays; a stale "sending…" does not.
  const pending = extra?.querySelector('[data-testid="notice-text"][data-state="pending"]');
  if (pending) pending.remove();
}

function buildBody(m) {
  const b = m.body;
  const body = el('div', { class: 'msg-body' });
  try {
    switch (b.kind) {
      case 'advisory':
        appendAll(body, b.lifecycle?.replaced ? replacedBody(b.view, b.lifecycle) : advisoryBody(b.view, m, correctionBlock(b.lifecycle)));
        break;
      case 'notice':
        appendAll(body, b.lifecycle ? lifecycleNoticeBody(b.view, b.lifecycle) : noticeBody(b.view, b.live, b.drillNotice));
        break;
      case 'followup':
        appendAll(body, followUpBody(b.view, b.lifecycle, m));
        break;
      case 'reminder':
        appendAll(body, reminderBody(b.view));
        break;
      case 'phone_task':
        appendAll(body, phoneTaskBody(b.view, m));
        break;
      case 'phone_board':
        appendAll(body, phoneBoardBody(b.view, b.board, m));
        break;
      case 'reply':
        body.append(el('div', { class: 'reply-text' }, String(b.text ?? '')));
        break;
      case 'image':
        appendAll(body, imageBody(b));
        break;
      default:
        body.append(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(b.kind)}`));
    }
  } catch (err) {
    console.error('render failed', m, err);
    body.replaceChildren(el('p', { class: 'muted' }, `${both(P.unknownKind)}: ${String(b.kind)}`));
  }
  return body;
}
