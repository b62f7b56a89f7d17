import type { CliSubcommand } from './subcommand.js';
import { verifyAuditCommand } from './verify-audit.js';
import { exportCommand } from './export.js';
import { searchCommand } from './search.js';
import { purgeCommand } from './purge.js';
import { reportCommand } from './report.js';

/** Every subcommand of the CLI, one file each: add a line here for a new one (export, search, …). */
export const SUBCOMMANDS: readonly CliSubcommand[] = [verifyAuditCommand, exportCommand, searchCommand, purgeCommand, reportCommand];
