/**
 * The command-line tool for the secretariat and operators: `npm run cli -- <subcommand> …`.
 * A small dispatcher: each subcommand is its own file, listed in subcommands.ts. Output is
 * Japanese first, then English; `--json` gives a machine-readable answer where a subcommand has one.
 * Exit codes (subcommand.ts EXIT): 0 done/intact, 1 a check found something, 2 usage, 3 store unavailable.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { both } from '../i18n/text.js';
import { openStoreFromEnv } from './store.js';
import { EXIT, type CliContext, type CliSubcommand, type ExitCode } from './subcommand.js';
import { SUBCOMMANDS } from './subcommands.js';

export function usage(subcommands: readonly CliSubcommand[] = SUBCOMMANDS): string {
  const width = Math.max(...subcommands.map((s) => s.synopsis.length));
  return [
    '使い方: npm run cli -- <サブコマンド> [オプション]',
    'Usage: npm run cli -- <subcommand> [options]',
    '',
    ...subcommands.map((s) => `  ${s.synopsis.padEnd(width)}  ${both(s.summary)}`),
    '',
    '終了コード / Exit codes: 0 正常・異常なし / done, intact; 1 異常を検出 / a check found a problem; 2 使い方の誤り / usage; 3 ストアを開けない / store unavailable',
  ].join('\n');
}

export async function runCli(argv: string[], ctx: CliContext, subcommands: readonly CliSubcommand[] = SUBCOMMANDS): Promise<ExitCode> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? ctx.err : ctx.out)(usage(subcommands));
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  const sub = subcommands.find((s) => s.name === name);
  if (!sub) {
    ctx.err(`不明なサブコマンドです: ${name}\nUnknown subcommand: ${name}\n\n${usage(subcommands)}`);
    return EXIT.USAGE;
  }
  return sub.run(args, ctx);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // As npm start: a .env file beside package.json is read when present; real environment variables win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const ctx: CliContext = {
    env: process.env,
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    openStore: openStoreFromEnv,
  };
  runCli(process.argv.slice(2), ctx).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`予期しないエラー / Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = EXIT.UNAVAILABLE;
    },
  );
}
