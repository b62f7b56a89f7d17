import type { Bilingual } from '../i18n/text.js';
import type { OpenedStore } from '../store/open-store.js';

/**
 * What every subcommand of the CLI (src/cli/main.ts) gets and gives back. A subcommand is one file
 * (verify-audit.ts, and later export.ts, search.ts) listed in subcommands.ts.
 */

/** Exit codes, the same for every subcommand, so scripts and cron can tell the cases apart. */
export const EXIT = {
  /** Done; for a check: everything is as it should be. */
  OK: 0,
  /** A check found something wrong (verify-audit: the audit log was tampered with or lost events). */
  FOUND: 1,
  /** The command line is wrong: unknown subcommand or option, bad value. */
  USAGE: 2,
  /** The store cannot be opened or read (configuration, connection, a newer schema). */
  UNAVAILABLE: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface CliContext {
  env: Record<string, string | undefined>;
  /** A line (or lines) to stdout: results. */
  out: (text: string) => void;
  /** A line (or lines) to stderr: warnings and errors, in text mode. */
  err: (text: string) => void;
  /** Opens the store the bot uses (MONGODB_URI or the SQLite file in DATA_DIR); the caller closes it. */
  openStore: (env: Record<string, string | undefined>) => Promise<OpenedStore>;
}

export interface CliSubcommand {
  name: string;
  /** After `npm run cli -- <name>` in the usage line. */
  synopsis: string;
  summary: Bilingual;
  run: (args: string[], ctx: CliContext) => Promise<ExitCode>;
}
