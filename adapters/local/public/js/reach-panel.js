/**
 * The reach report (疎通確認率) in the secretariat's status view: the rates per stage, the median and 90th percentile
 * times, the ladder's times, the chart (an SVG the server draws, shown as an image: never parsed into the page), and
 * the CSV and JSON to download. The server words everything (ReachView, src/view/reach-view.ts) and decides who may
 * see it; the page only lays it out. Folded away on request, and kept folded when the status is drawn again.
 */

import { state } from './state.js';
import { both, P } from './i18n.js';
import { formatTokyo } from './format.js';
import { el, sentence } from './dom.js';
import { api, ApiError, errorBox } from './api.js';

/** The page's own words for this section (the report's words come with it). */
const R = {
  title: { ja: '疎通確認率', en: 'Reach report' },
  csv: { ja: 'CSV をダウンロード', en: 'Download CSV' },
  json: { ja: 'JSON をダウンロード', en: 'Download JSON' },
  targeted: { ja: '対象の構成員', en: 'Members targeted' },
  ladder: { ja: 'エスカレーション', en: 'Escalation' },
  chart: { ja: '受領確認の推移のグラフ', en: 'Chart of the share acknowledged over time' },
};

/** Advisories whose report the reader folded away. */
const folded = new Set();

const reachPath = (advisoryId, rest = '') => `/local/api/advisories/${encodeURIComponent(advisoryId)}/reach${rest}`;

/** The section for one advisory's status: open (and loading) unless the reader folded it. */
export function reachSection(advisoryId) {
  const body = el('div', { class: 'reach-body', testid: 'reach-body' });
  const details = el('details', { class: 'reach', testid: 'reach-section' }, el('summary', { testid: 'reach-summary' }, `📈 ${both(R.title)}`), body);
  let shown = false;
  const show = () => {
    if (shown) return;
    shown = true;
    loadReach(advisoryId, body);
  };
  details.addEventListener('toggle', () => {
    if (details.open) {
      folded.delete(advisoryId);
      show();
    } else folded.add(advisoryId);
  });
  if (!folded.has(advisoryId)) {
    details.open = true;
    show();
  }
  return details;
}

async function loadReach(advisoryId, body) {
  const gen = state.gen;
  body.replaceChildren(el('p', { class: 'muted' }, both(P.loading)));
  let view;
  try {
    view = await api(reachPath(advisoryId));
  } catch (err) {
    if (gen === state.gen) body.replaceChildren(errorBox(err, 'reach-error'));
    return;
  }
  if (gen !== state.gen) return;
  const chart = el('img', { class: 'reach-chart', testid: 'reach-chart', alt: both(R.chart), width: '100%' });
  body.replaceChildren(renderReach(view ?? {}), el('figure', { class: 'reach-figure' }, chart), downloads(advisoryId));
  showChart(advisoryId, chart, gen);
}

function renderReach(view) {
  const rates = Array.isArray(view.rates) ? view.rates : [];
  const times = Array.isArray(view.times) ? view.times : [];
  const ladder = Array.isArray(view.ladder) ? view.ladder : [];
  return el(
    'div',
    { class: 'reach-figures', 'data-state': String(view.state ?? '') },
    el(
      'p',
      { class: 'small muted', testid: 'reach-state' },
      `${both(view.stateText ?? { ja: '', en: '' })} · ${formatTokyo(view.asOf)} · ${both(R.targeted)}: ${Number(view.targeted ?? 0)}`,
    ),
    el(
      'dl',
      { class: 'reach-rates', testid: 'reach-rates' },
      [...rates.map((r) => [`rate-${r.key}`, r.label, r.text]), ...times.map((t) => [`time-${t.key}`, t.label, t.text])].map(([key, label, text]) =>
        el('div', { class: 'reach-rate', testid: `reach-${key}` }, el('dt', null, sentence(label)), el('dd', null, both(text))),
      ),
    ),
    ladder.length > 0
      ? el(
          'p',
          { class: 'small reach-ladder', testid: 'reach-ladder' },
          `${both(R.ladder)}: `,
          ladder.map((l, i) => `${i > 0 ? ' · ' : ''}${both(l.label)} ${both(l.text)}`).join(''),
          view.ladderSource ? ` (${both(view.ladderSource)})` : '',
        )
      : null,
  );
}

/** The chart's SVG as an image from a blob: it is drawn, never parsed into the page. */
async function showChart(advisoryId, img, gen) {
  try {
    const blob = await fetchFile(reachPath(advisoryId, '/chart.svg'));
    if (gen !== state.gen) return;
    const url = window.URL.createObjectURL(blob);
    img.addEventListener('load', () => window.URL.revokeObjectURL(url), { once: true });
    img.src = url;
  } catch (err) {
    if (gen === state.gen) img.replaceWith(errorBox(err, 'reach-chart-error'));
  }
}

/** A file from the server as the acting user (the API's own errors as the page shows them). */
async function fetchFile(path) {
  const headers = {};
  if (state.user) headers['x-local-user'] = state.user.id;
  let res;
  try {
    res = await fetch(path, { headers, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'NETWORK', P.network, undefined);
  }
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    const e = data && typeof data === 'object' ? data.error : undefined;
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? { ja: `${P.serverError.ja}（${res.status}）`, en: `${P.serverError.en} (${res.status})` }, undefined);
  }
  return res.blob();
}

/** CSV and JSON of the report: fetched as the acting user, then saved from a link to the blob. */
function downloads(advisoryId) {
  const out = el('span', { class: 'reach-out' });
  const button = (format, label) =>
    el(
      'button',
      {
        type: 'button',
        class: 'btn small',
        testid: `reach-${format}`,
        on: {
          click: async () => {
            out.replaceChildren();
            try {
              const blob = await fetchFile(reachPath(advisoryId, `/file?format=${format}`));
              const name = `${advisoryId}-reach.${format}`;
              const a = el('a', { href: window.URL.createObjectURL(blob), download: name, testid: `reach-${format}-link` }, `⬇️ ${name}`);
              out.append(a);
              a.click();
            } catch (err) {
              out.append(errorBox(err, 'reach-download-error'));
            }
          },
        },
      },
      `⬇️ ${both(label)}`,
    );
  return el('div', { class: 'reach-downloads' }, button('csv', R.csv), button('json', R.json), out);
}
