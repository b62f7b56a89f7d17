/** `npm run bench -- --help` prints this; every option has a default that reproduces docs/BENCHMARKS.md. */
export const USAGE = `\`npm run bench -- [options]\`. Every option has a default that reproduces docs/BENCHMARKS.md:
  --only fanout,limits,presses,ladders,growth,board   which scenarios (default all)
  --members 2000          member channels, half on Slack and half on Teams
  --runs 3                runs of each measurement (figures are median [min–max])
  --latencies 0,50        API latency of the fakes for the fan-out scenario, in ms
  --concurrency 20        DELIVERY_CONCURRENCY of the bot and the baseline's worker concurrency
  --rate 1000             DELIVERY_RATE_PER_SECOND, the bot's pace on each platform, where no platform limit is on
                          (the baseline's one limiter is twice it: the same pace)
  --limits-rate N         the bot's DELIVERY_RATE_PER_SECOND under limits; default: unset (the bot's own default: no tuning)
  --slack-rate 50         Slack workspace-wide messages a second, with limits on
  --teams-rate 50         Teams tenant-wide messages a second, with limits on
  --press-window 10       seconds over which the presses arrive
  --growth 200,2000,10000 member counts of the growth scenario
  --board-members 1800    members of the board scenario (20% of them silent)
  --bot build             build: the compiled bot as production runs it (\`npm run build\` first, then dist/src/main.js);
                          tsx: from the TypeScript source through tsx, as \`npm start\` runs it
  --bot-env K=V,K=V       more of the bot's environment, to compare settings in one sitting (ESCALATION_CONCURRENCY=20)
  --processes 1           bot processes sharing the store and Redis, as a sector scales out (the baseline stays one);
                          presses are spread over them as a load balancer would
  --out PATH              where the JSON goes (default bench/results/<timestamp>.json)
  --help                  this
`;

export const SCENARIOS = ['fanout', 'limits', 'presses', 'ladders', 'growth', 'board'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchArgs {
  only: ScenarioName[];
  members: number;
  runs: number;
  latencies: number[];
  concurrency: number;
  rate: number;
  limitsRate: number | undefined;
  slackRate: number;
  teamsRate: number;
  pressWindowMs: number;
  growth: number[];
  boardMembers: number;
  bot: 'build' | 'tsx';
  /** Added to the bot's environment (never the baseline's); the bench's own settings win. */
  botEnv: Record<string, string>;
  /** Bot processes on the same data directory and queues (1 to 8). */
  processes: number;
  out: string | undefined;
}

const numbers = (v: string) => v.split(',').map((x) => {
  const n = Number(x);
  if (!Number.isFinite(n) || n < 0) throw new Error(`not a number: ${x}`);
  return n;
});

/** The options, or 'help' when --help (or -h) is among them. */
export function parseArgs(argv: readonly string[]): BenchArgs | 'help' {
  if (argv.includes('--help') || argv.includes('-h')) return 'help';
  const a: BenchArgs = {
    only: [...SCENARIOS],
    members: 2000,
    runs: 3,
    latencies: [0, 50],
    concurrency: 20,
    rate: 1000,
    limitsRate: undefined,
    slackRate: 50,
    teamsRate: 50,
    pressWindowMs: 10_000,
    growth: [200, 2000, 10_000],
    boardMembers: 1800,
    bot: 'build',
    botEnv: {},
    processes: 1,
    out: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value (npm run bench -- --help)`);
    i++;
    const one = () => numbers(value)[0] as number;
    switch (flag) {
      case '--only': {
        const names = value.split(',');
        const unknown = names.filter((n) => !(SCENARIOS as readonly string[]).includes(n));
        if (unknown.length > 0) throw new Error(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
        a.only = names as ScenarioName[];
        break;
      }
      case '--members': a.members = one(); break;
      case '--runs': a.runs = Math.max(1, one()); break;
      case '--latencies': a.latencies = numbers(value); break;
      case '--concurrency': a.concurrency = one(); break;
      case '--rate': a.rate = one(); break;
      case '--limits-rate': a.limitsRate = one(); break;
      case '--slack-rate': a.slackRate = one(); break;
      case '--teams-rate': a.teamsRate = one(); break;
      case '--press-window': a.pressWindowMs = one() * 1000; break;
      case '--growth': a.growth = numbers(value); break;
      case '--board-members': a.boardMembers = one(); break;
      case '--bot':
        if (value !== 'build' && value !== 'tsx') throw new Error(`--bot is build or tsx, not ${value}`);
        a.bot = value;
        break;
      case '--bot-env':
        for (const pair of value.split(',')) {
          const eq = pair.indexOf('=');
          if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(pair.slice(0, eq))) throw new Error(`--bot-env takes NAME=value pairs, not ${pair}`);
          a.botEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
        }
        break;
      case '--processes': {
        const n = one();
        if (!Number.isInteger(n) || n < 1 || n > 8) throw new Error(`--processes is a whole number from 1 to 8, not ${value}`);
        a.processes = n;
        break;
      }
      case '--out': a.out = value; break;
      default: throw new Error(`unknown option ${flag} (npm run bench -- --help)`);
    }
  }
  return a;
}
