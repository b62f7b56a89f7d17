/**
 * The issue form's two steps: its submit asks for the preview (POST /local/api/advisories/preview) and shows it in
 * place of the entries; the preview's Send issues (POST /local/api/advisories/send) what was shown, or shows the
 * new preview if the entries or the directory changed meanwhile; Back shows the entries as they were.
 */

import { state } from './state.js';
import { both, C, P } from './i18n.js';
import { count } from './format.js';
import { el, fill, sentence } from './dom.js';
import { api, ApiError, errorText } from './api.js';
import { clearFieldErrors, showFieldErrors } from './issue-form-errors.js';
import { previewPanel } from './preview-panel.js';
import { viewStatusFrom } from './status-panel.js';

/** A v4 UUID; crypto.randomUUID exists only in secure contexts, so fall back to getRandomValues. */
function newUuid() {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The entries again, the preview gone. */
function showEntries(f) {
  f.preview.hidden = true;
  f.preview.replaceChildren();
  f.fields.hidden = false;
}

function showError(f, err, where) {
  where.className = 'form-result error';
  where.setAttribute('data-state', 'error');
  where.replaceChildren('⚠️ ', sentence(errorText(err)));
  if (err instanceof ApiError && err.fields && Object.keys(err.fields).length > 0) {
    where.append(' ', sentence(P.formInvalid));
    showFieldErrors(f, err.fields);
  }
}

/** The drill template's button: the form filled in from it (the secretariat checks it, then Review and Send). */
export async function loadDrillTemplate(f, fill, button) {
  if (button.disabled) return;
  const gen = state.gen;
  button.disabled = true;
  clearFieldErrors(f);
  f.result.className = 'form-result';
  f.result.removeAttribute('data-state');
  f.result.replaceChildren();
  try {
    const answer = await api('/local/api/form/drill');
    if (gen !== state.gen) return;
    showEntries(f);
    fill(answer?.entries);
    f.controls.title.focus();
  } catch (err) {
    if (gen !== state.gen) return;
    showError(f, err, f.result);
  } finally {
    button.disabled = false;
  }
}

/** The form's submit: ask for the preview of what was entered; problems go on the fields. */
export async function submitPreview(ev, f, changed = false) {
  ev?.preventDefault();
  if (f.submit.disabled) return;
  const input = f.read();
  const gen = state.gen;
  clearFieldErrors(f);
  f.result.className = 'form-result';
  f.result.removeAttribute('data-state');
  f.result.replaceChildren();
  f.submit.disabled = true;
  try {
    const answer = await api('/local/api/advisories/preview', { method: 'POST', body: { input } });
    if (gen !== state.gen) return;
    showPreview(f, input, answer, changed);
  } catch (err) {
    if (gen !== state.gen) return;
    showEntries(f);
    showError(f, err, f.result);
  } finally {
    f.submit.disabled = false;
  }
}

function showPreview(f, input, answer, changed) {
  const digest = typeof answer?.preview?.digest === 'string' ? answer.preview.digest : '';
  const p = previewPanel(answer, {
    changed,
    onBack: () => {
      showEntries(f);
      f.submit.focus();
    },
    onSend: () => sendIssue(f, input, digest, p),
  });
  f.fields.hidden = true;
  f.preview.replaceChildren(p.panel);
  f.preview.hidden = false;
  p.panel.focus();
}

/** Send: issue what the preview showed; if it no longer matches, show the new preview instead. */
async function sendIssue(f, input, digest, p) {
  if (p.send.disabled) return;
  const json = JSON.stringify({ input, digest });
  // A fresh key per Send; the same key again only when the last attempt got no answer and nothing changed,
  // so a retry after a lost response cannot issue the advisory twice.
  const requestKey = state.pendingIssue && state.pendingIssue.json === json ? state.pendingIssue.key : newUuid();
  const gen = state.gen;
  p.status.className = 'form-result';
  p.status.setAttribute('data-state', 'pending');
  p.status.textContent = both(P.sending);
  p.send.disabled = true;
  p.back.disabled = true;
  try {
    const res = await api('/local/api/advisories/send', { method: 'POST', body: { requestKey, input, digest } });
    if (gen !== state.gen) return;
    state.pendingIssue = null;
    showEntries(f);
    f.reset();
    showIssued(f, res);
  } catch (err) {
    if (gen !== state.gen) return;
    const unanswered = err instanceof ApiError && (err.status === 0 || err.status >= 500);
    state.pendingIssue = unanswered ? { key: requestKey, json } : null;
    if (err instanceof ApiError && err.code === 'LOCAL.PREVIEW_CHANGED') {
      // Nothing was issued: show what Send would issue now, and let the secretariat look again.
      await submitPreview(null, f, true);
      return;
    }
    if (err instanceof ApiError && err.fields && Object.keys(err.fields).length > 0) {
      showEntries(f);
      showError(f, err, f.result);
      return;
    }
    showError(f, err, p.status);
    p.send.disabled = false;
    p.back.disabled = false;
  }
}

function showIssued(f, res) {
  const n = Array.isArray(res?.deliveries) ? res.deliveries.length : typeof res?.deliveries === 'number' ? res.deliveries : null;
  const id = String(res?.advisoryId ?? '');
  f.result.className = 'form-result ok';
  f.result.setAttribute('data-state', 'ok');
  f.result.setAttribute('data-advisory-id', id);
  fill(
    f.result,
    '✅ ',
    el('strong', null, both(P.issuedOk)),
    ': ',
    el('code', { class: 'adv-id', testid: 'form-result-id' }, id),
    n !== null ? ` · ${both(C('deliveries'))}: ${count(n)}` : '',
    ' ',
    el('button', { type: 'button', class: 'btn small', testid: 'form-result-status', on: { click: () => viewStatusFrom(id, null) } }, `📊 ${both(P.viewStatus)}`),
    res?.created === false ? el('p', { class: 'small', testid: 'form-result-repeat' }, sentence(P.alreadyIssued)) : null,
    // An announced drill: members are told now, the drill itself goes out at the window's start.
    res?.scheduled ? el('p', { class: 'small drill-scheduled', testid: 'form-result-drill-scheduled' }, sentence(res.scheduled)) : null,
    res?.queued === false ? el('p', { class: 'warn small', testid: 'form-result-queue-pending' }, sentence(C('issuedQueuePending'))) : null,
    Array.isArray(res?.withoutChannel) && res.withoutChannel.length > 0
      ? el(
          'p',
          { class: 'warn small', testid: 'form-result-without-channel' },
          `⚠️ ${both(P.withoutChannel)}: `,
          res.withoutChannel.map((o) => both(o?.name ?? { ja: String(o?.id ?? ''), en: String(o?.id ?? '') })).join(', '),
        )
      : null,
  );
}
