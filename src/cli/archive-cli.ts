import { parseArgs, type ParseArgsConfig } from 'node:util';
import { systemClock } from '../clock.js';
import { loadDirectory } from '../directory/load.js';
import type { LocalisedName } from '../directory/schema.js';
import type { TranscriptSources } from '../commands/archive.js';
import { stacked, type Bilingual } from '../i18n/text.js';
import type { OpenedStore } from '../store/open-store.js';
import { EXIT, type CliContext, type ExitCode } from './subcommand.js';

/** What export, search and purge share: their command lines, the store, and how they fail. */

export class UsageError extends Error {
  constructor(readonly text: Bilingual) {
    super(text.en);
  }
}

export function parseOrUsage<T extends ParseArgsConfig['options']>(args: string[], options: T, positionals = true) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new UsageError({ ja: `コマンドラインが正しくありません: ${message}`, en: `The command line is not valid: ${message}` });
  }
}

/** Open the store, run, close it; the store failing is exit 3, a usage error exit 2, said in both languages. */
export async function withStore(ctx: CliContext, synopsis: string, work: (opened: OpenedStore) => Promise<ExitCode>): Promise<ExitCode> {
  let opened: OpenedStore;
  try {
    opened = await ctx.openStore(ctx.env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.err(stacked({ ja: `ストアを開けません: ${message}`, en: `Cannot open the store: ${message}` }));
    return EXIT.UNAVAILABLE;
  }
  try {
    for (const w of opened.warnings) ctx.err(w);
    return await work(opened);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.err(`${stacked(err.text)}\n\nnpm run cli -- ${synopsis}`);
      return EXIT.USAGE;
    }
    throw err;
  } finally {
    await opened.store.close();
  }
}

/** Members' names from the directory the bot uses (MEMBERS_FILE); ids stand in when it cannot be read. */
export async function sourcesFor(ctx: CliContext, opened: OpenedStore): Promise<TranscriptSources> {
  let name: (id: string) => LocalisedName = (id) => ({ ja: id, en: id });
  try {
    const directory = await loadDirectory(ctx.env['MEMBERS_FILE'] ?? 'config/members.example.yaml');
    name = (id) => directory.memberName(id);
  } catch (err) {
    ctx.err(stacked({ ja: `構成員名簿を読めないため ID で表示します: ${String(err)}`, en: `The member directory cannot be read; members are shown by id: ${String(err)}` }));
  }
  return { store: opened.store, clock: systemClock, memberName: name };
}
