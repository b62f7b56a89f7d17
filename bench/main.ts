/**
 * `npm run bench`: the real bot, as its own process, against fake Slack and Teams on loopback, real
 * Redis and the embedded store; each scenario beside a bare BullMQ baseline measured in the same run.
 * Options: see args.ts. What each scenario measures: docs/BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs, USAGE, type ScenarioName } from './args.js';
import { runBotFrom } from './bot-under-test.js';
import { printTable, writeJson } from './report.js';
import type { Context } from './scenarios/context.js';
import { fanoutScenario, growthScenario } from './scenarios/fanout.js';
import { laddersScenario } from './scenarios/ladders.js';
import { boardScenario } from './scenarios/board.js';
import { limitsScenario } from './scenarios/limits.js';
import { pressesScenario } from './scenarios/presses.js';

const SCENARIO: Record<ScenarioName, (ctx: Context) => Promise<void>> = {
  fanout: fanoutScenario,
  limits: limitsScenario,
  presses: pressesScenario,
  ladders: laddersScenario,
  growth: growthScenario,
  board: boardScenario,
};

const commit = (): string => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown'; // not a git checkout: the JSON says so
  }
};

/**
 * The script and Node's options of one of the package's start scripts (`exec node [options] <script>`), so that the
 * bench runs the bot with the options production gives it (the heap's settings among them).
 */
function startCommand(name: 'start' | 'start:prod'): { script: string; nodeArgs: string[] } {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts[name] ?? '').split(/\s+/).filter(Boolean);
  const script = words.at(-1);
  if (words[0] !== 'exec' || words[1] !== 'node' || script === undefined) throw new Error(`package.json's ${name} is not "exec node [options] <script>": ${pkg.scripts[name]}`);
  // `npm start` loads tsx itself; startBotProcess adds it for a .ts script.
  const nodeArgs = words.slice(2, -1).filter((w, i, all) => w !== '--import' && all[i - 1] !== '--import');
  return { script, nodeArgs };
}

const parsed = parseArgs(process.argv.slice(2));
if (parsed === 'help') {
  process.stdout.write(USAGE);
  process.exit(0);
}
const args = parsed;
const started = new Date();
const ctx: Context = { args, rows: [], raw: {} };
if (args.bot === 'build') {
  // Production runs the compiled JavaScript (README: npm run build && npm run start:prod): built from this tree now,
  // so the figures are this commit's.
  process.stderr.write('building the bot (npm run build)…\n');
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
const bot = startCommand(args.bot === 'build' ? 'start:prod' : 'start');
runBotFrom(bot.script, bot.nodeArgs, args.botEnv, args.processes);
const errors: Record<string, string> = {};
for (const name of args.only) {
  process.stderr.write(`scenario ${name}…\n`);
  const t = Date.now();
  try {
    await SCENARIO[name](ctx);
  } catch (err) {
    // One scenario failing (a timeout, a crash of the bot) still leaves the others' figures.
    errors[name] = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.stderr.write(`scenario ${name} failed: ${errors[name]}\n`);
  }
  process.stderr.write(`scenario ${name} took ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
}
const seconds = (Date.now() - started.getTime()) / 1000;
const out = args.out ?? join('bench', 'results', `${started.toISOString().replace(/[:.]/g, '-')}.json`);
await writeJson(out, {
  startedAt: started.toISOString(),
  seconds,
  commit: commit(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
  args,
  rows: ctx.rows,
  runs: ctx.raw,
  errors,
});
console.log(printTable(ctx.rows));
console.log(`\n${ctx.rows.length} figures in ${seconds.toFixed(0)} s; JSON: ${out}${Object.keys(errors).length > 0 ? `; FAILED: ${Object.keys(errors).join(', ')}` : ''}`);
process.exit(Object.keys(errors).length > 0 ? 1 : 0);
