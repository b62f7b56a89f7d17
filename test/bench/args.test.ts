import { describe, expect, it } from 'vitest';
import { parseArgs, SCENARIOS, USAGE } from '../../bench/args.js';

describe('npm run bench options', () => {
  it('--help (or -h) asks for the usage, which names every option the parser takes', () => {
    expect(parseArgs(['--help'])).toBe('help');
    expect(parseArgs(['--only', 'presses', '-h'])).toBe('help');
    for (const flag of ['--only', '--members', '--runs', '--latencies', '--concurrency', '--rate', '--limits-rate', '--slack-rate', '--teams-rate', '--press-window', '--growth', '--board-members', '--bot', '--bot-env', '--processes', '--out', '--help']) {
      expect(USAGE).toContain(`  ${flag} `);
    }
  });

  it('reproduces the documented figures by default, and reads what it is given', () => {
    expect(parseArgs([])).toMatchObject({ only: [...SCENARIOS], members: 2000, runs: 3, latencies: [0, 50], pressWindowMs: 10_000, bot: 'build', botEnv: {}, processes: 1 });
    expect(parseArgs(['--only', 'presses,fanout', '--runs', '0', '--press-window', '5', '--bot-env', 'A_B=1,C=x=y', '--processes', '2'])).toMatchObject({
      processes: 2,
      only: ['presses', 'fanout'],
      runs: 1,
      pressWindowMs: 5_000,
      botEnv: { A_B: '1', C: 'x=y' },
    });
  });

  it('a mistake says what is wrong and where the usage is', () => {
    expect(() => parseArgs(['--runs'])).toThrow('--runs needs a value (npm run bench -- --help)');
    expect(() => parseArgs(['--bogus', '1'])).toThrow('unknown option --bogus (npm run bench -- --help)');
    expect(() => parseArgs(['--only', 'fanout,nope'])).toThrow(/unknown scenario nope; known: fanout, limits/);
    expect(() => parseArgs(['--bot-env', 'lower=1'])).toThrow(/NAME=value/);
    for (const n of ['0', '9', '1.5']) expect(() => parseArgs(['--processes', n])).toThrow(`--processes is a whole number from 1 to 8, not ${n}`);
  });
});
