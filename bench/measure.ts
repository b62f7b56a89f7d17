/**
 * One measured run: fresh fakes, the bot or the baseline started on them, the scenario's body, the
 * process's peak memory, then everything stopped and its Redis keys and files removed.
 */
import { startBaseline } from './baseline/bare-under-test.js';
import { startBot } from './bot-under-test.js';
import { startPlatforms, type PlatformOptions, type Platforms } from './platforms.js';
import { sampleProcess } from './proc-stats.js';
import type { RunSetup, UnderTest } from './under-test.js';

export type Who = 'bot' | 'baseline';

export async function measure<T extends object>(
  who: Who,
  setup: Omit<RunSetup, 'platforms'>,
  platformOptions: PlatformOptions,
  body: (ut: UnderTest, platforms: Platforms) => Promise<T>,
): Promise<T & { hwmMb: number }> {
  const platforms = await startPlatforms(platformOptions);
  const output: string[] = [];
  let ut: UnderTest | undefined;
  try {
    ut = await (who === 'bot' ? startBot : startBaseline)({ ...setup, platforms }, output);
    const result = await body(ut, platforms);
    const { hwmMb } = await sampleProcess(ut.pids);
    return { ...result, hwmMb };
  } catch (err) {
    // What the process said last is usually why.
    const tail = output.slice(-15).join('\n');
    throw new Error(`${who} run failed: ${err instanceof Error ? err.message : String(err)}${tail ? `\n--- its last output:\n${tail}` : ''}`, { cause: err });
  } finally {
    await ut?.close();
    await platforms.close();
  }
}
