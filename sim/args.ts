/**
 * `npm run simulate -- [options]` (docs/SIMULATOR.md):
 *   --members 1800          member organisations, each with its own channel
 *   --silent 20%            members who never press (only the phone reaches them)
 *   --phone-staff 2,4,8     on-call staff; one run per number
 *   --answer-rate 70%       chance that a contact answers a call
 *   --call-minutes 3        median length of an answered call (lognormal, --call-sigma)
 *   --policy level4         the severity whose escalation policy the advisory gets (level0…level4)
 *   --seed ceptoar-sim-1    the seed of every draw: the same seed and options give the same figures
 *   --scale 60              clock minutes per real minute
 *   --contacts 2            phone contacts per member, in call order
 *   --ack-median 5          median minutes from issue to a member's press (lognormal, --ack-sigma 1)
 *   --reminder-median 2     median minutes from the reminder to a reminded member's press (0: the reminder pulls nobody)
 *   --no-answer-minutes 1   how long an unanswered call (or a wrong number) takes
 *   --wrong-number 0%       chance that a contact's number is wrong (for the whole run)
 *   --retry-rounds 2        rounds of calls again after every contact was tried without an answer
 *   --retry-minutes 15      minutes between such rounds
 *   --max-hours 24          stop a run this many clock hours after issue
 *   --escalation-file PATH  escalation policies as ESCALATION_FILE (default: the built-in ones)
 *   --concurrency 20        DELIVERY_CONCURRENCY of the bot
 *   --out PATH              the JSON (default sim/results/<time>.json); charts go beside it
 *   --quiet                 no progress lines
 */
import { SEVERITIES, type Severity } from '../src/domain/classification.js';
import { DEFAULT_PARAMS, type SimParams } from './model.js';

export interface SimArgs {
  params: SimParams;
  staff: number[];
  policy: Severity;
  scale: number;
  maxHours: number;
  escalationFile: string | undefined;
  concurrency: number;
  out: string | undefined;
  quiet: boolean;
  redisUrl: string;
}

/** "20%", "0.2" and "20" all mean a fifth; a share above 1 without % is read as percent. */
export function share(text: string, flag: string): number {
  const t = text.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  const v = !t.endsWith('%') && n > 1 ? n / 100 : n;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new Error(`${flag}: not a share between 0% and 100%: ${text}`);
  return v;
}

function number(text: string, flag: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${flag}: expected a number from ${min}${Number.isFinite(max) ? ` to ${max}` : ''}, not ${text}`);
  return n;
}

function integer(text: string, flag: string, min: number, max = Number.POSITIVE_INFINITY): number {
  const n = number(text, flag, min, max);
  if (!Number.isInteger(n)) throw new Error(`${flag}: expected a whole number, not ${text}`);
  return n;
}

export function parseArgs(argv: readonly string[], env: Record<string, string | undefined> = process.env): SimArgs {
  const a: SimArgs = {
    params: { ...DEFAULT_PARAMS },
    staff: [2, 4, 8],
    policy: 'level4',
    scale: 60,
    maxHours: 24,
    escalationFile: undefined,
    concurrency: 20,
    out: undefined,
    quiet: false,
    redisUrl: env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
  const p = a.params;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--quiet') {
      a.quiet = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i++;
    switch (flag) {
      case '--members': p.members = integer(value, flag, 1, 9999); break;
      case '--silent': p.silent = share(value, flag); break;
      case '--phone-staff': {
        a.staff = value.split(',').map((v) => integer(v, flag, 1, 99));
        break;
      }
      case '--answer-rate': p.answerRate = share(value, flag); break;
      case '--call-minutes': p.callMinutes = number(value, flag, 0.1, 120); break;
      case '--call-sigma': p.callSigma = number(value, flag, 0, 3); break;
      case '--policy': {
        if (!(SEVERITIES as readonly string[]).includes(value)) throw new Error(`${flag}: one of ${SEVERITIES.join(', ')}, not ${value}`);
        a.policy = value as Severity;
        break;
      }
      case '--seed': p.seed = value; break;
      case '--scale': a.scale = number(value, flag, 1, 10_000); break;
      case '--contacts': p.contacts = integer(value, flag, 1, 9); break;
      case '--ack-median': p.ackMedianMinutes = number(value, flag, 0.01, 10_000); break;
      case '--ack-sigma': p.ackSigma = number(value, flag, 0, 5); break;
      case '--reminder-median': p.reminderMedianMinutes = number(value, flag, 0, 10_000); break;
      case '--no-answer-minutes': p.noAnswerMinutes = number(value, flag, 0.05, 60); break;
      case '--wrong-number': p.wrongNumberRate = share(value, flag); break;
      case '--retry-rounds': p.retryRounds = integer(value, flag, 0, 20); break;
      case '--retry-minutes': p.retryAfterMinutes = number(value, flag, 0, 24 * 60); break;
      case '--max-hours': a.maxHours = number(value, flag, 0.1, 24 * 30); break;
      case '--escalation-file': a.escalationFile = value; break;
      case '--concurrency': a.concurrency = integer(value, flag, 1, 100); break;
      case '--out': a.out = value; break;
      default:
        throw new Error(`unknown option ${flag} (see sim/args.ts or docs/SIMULATOR.md)`);
    }
  }
  a.staff = [...new Set(a.staff)].sort((x, y) => x - y);
  return a;
}
