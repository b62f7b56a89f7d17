/** Number, time and search-key formatting shared by the page's modules. */

export const count = (n) => Number(n).toLocaleString('en-US');
const TOKYO = new Intl.DateTimeFormat('ja-JP', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** "2026/11/25 18:30 JST": every time people read is Japan time. */
export function formatTokyo(at) {
  const d = new Date(at);
  if (at === undefined || at === null || Number.isNaN(d.getTime())) return String(at ?? '');
  return `${TOKYO.format(d)} JST`;
}

export function ms(iso) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? 0 : t;
}

export const normalise = (s) => String(s ?? '').normalize('NFKC').toLowerCase();
