/** The simulation's figures as a table on the terminal. */
import type { RunFigures } from './figures.js';
import type { Simulation } from './simulate.js';

const dash = '—';

function mins(v: number | null): string {
  if (v === null) return 'never';
  if (v < 60) return `${v.toFixed(1)} min`;
  const h = Math.floor(v / 60);
  return `${h} h ${String(Math.round(v - h * 60)).padStart(2, '0')} min`;
}

function pct(n: number, of: number): string {
  return of === 0 ? dash : `${((n / of) * 100).toFixed(1)} %`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatSimulation(sim: Simulation): string {
  const p = sim.input.params;
  const out: string[] = [];
  out.push(
    `${p.members} members, ${Math.round(p.silent * 100)} % silent, ${p.contacts} contacts each; policy ${sim.input.policy}; ` +
      `answer rate ${Math.round(p.answerRate * 100)} %, calls ${p.callMinutes} min (no answer ${p.noAnswerMinutes} min); ` +
      `retries ${p.retryRounds}×${p.retryAfterMinutes} min; seed "${p.seed}"; clock ${sim.input.scale}×`,
  );
  out.push('');
  const runs = sim.runs;
  const header = ['phone staff', ...runs.map((r) => String(r.staff))];
  const row = (label: string, f: (r: RunFigures) => string) => [label, ...runs.map(f)];
  out.push(
    table(header, [
      row('95 % confirmed', (r) => mins(r.minutesTo.p95)),
      row('100 % confirmed', (r) => (r.minutesTo.p100 === null ? `never (${r.notConfirmed} left)` : mins(r.minutesTo.p100))),
      row('50 % / 90 % confirmed', (r) => `${mins(r.minutesTo.p50)} / ${mins(r.minutesTo.p90)}`),
      row('phone tasks', (r) => String(r.phone.tasks)),
      row('peak open phone tasks', (r) => `${r.phone.peakOpen}${r.phone.peakAtMinutes === null ? '' : ` at ${mins(r.phone.peakAtMinutes)}`}`),
      row('calls made', (r) => String(r.phone.calls)),
      row('reached by phone', (r) => String(r.phone.reached)),
      row('pressed while waiting', (r) => String(r.phone.acknowledgedMeanwhile)),
      row('not reached (alerted)', (r) => String(r.phone.givenUp)),
      row('last call ended', (r) => mins(r.phone.lastCallEndedMinutes)),
      row('staff on the phone', (r) => r.phone.utilisation.length === 0 ? dash : `${Math.round((r.phone.utilisation.reduce((a, b) => a + b, 0) / r.phone.utilisation.length) * 100)} % avg`),
      row('button before reminder', (r) => pct(r.stages.buttonBeforeReminder, r.members)),
      row('button before deadline', (r) => pct(r.stages.buttonBeforeDeadline, r.members)),
      row('button after deadline', (r) => pct(r.stages.buttonAfterDeadline, r.members)),
      row('by phone', (r) => pct(r.stages.phone, r.members)),
      row('bot recorded 95 % / 100 %', (r) => `${r.bot.minutesTo.p95 ?? 'never'} / ${r.bot.minutesTo.p100 ?? 'never'} min`),
      row('bot recorded calls', (r) => String(r.bot.callsRecorded)),
      row('bot lag p50 / p99 (clock s)', (r) => `${r.bot.lagSeconds.p50 ?? dash} / ${r.bot.lagSeconds.p99 ?? dash}`),
      row('bot warnings / errors', (r) => `${r.bot.warnings} / ${r.bot.errors} (+${r.bot.overdueMarks} overdue marks)`),
      row('problems', (r) => String(r.problems.length)),
      row('real time', (r) => `${r.wallSeconds} s`),
    ]),
  );
  out.push('');
  out.push(sim.determinism);
  for (const r of runs) {
    for (const problem of r.problems.slice(0, 5)) out.push(`  ! ${r.staff} staff: ${problem}`);
  }
  return out.join('\n');
}
