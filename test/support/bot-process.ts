/**
 * The bot as its own operating-system process (`node --import tsx src/main.ts`, as `npm start`
 * runs it), so a test can kill it with SIGKILL mid-job and start another on the same Redis and data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BotProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process logged, for failure messages. */
  output: string[];
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * `output`, when given, is filled as lines arrive (to watch a start-up that is still waiting). `script`: another
 * program that says it is listening the same way (the bench's bare baseline worker), or the compiled bot
 * (`dist/src/main.js`, as `npm run start:prod` runs it: JavaScript is run without tsx); default the bot's source.
 * `nodeArgs`: Node's own options before the script (the heap settings `npm start` gives the bot).
 */
export async function startBotProcess(
  env: Record<string, string>,
  timeoutMs = 30_000,
  output: string[] = [],
  script = 'src/main.ts',
  nodeArgs: readonly string[] = [],
): Promise<BotProcess> {
  const child = spawn(process.execPath, [...nodeArgs, ...(script.endsWith('.js') ? [script] : ['--import', 'tsx', script])], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot process did not start in time:\n${output.join('\n')}`)), timeoutMs);
    const onLine = (line: string) => {
      output.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'ceptoar-bot listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        // not a JSON log line (a stack trace, a warning): kept in output
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', (l) => output.push(l));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot process exited with ${code} before listening:\n${output.join('\n')}`));
    });
  });
  return {
    url,
    child,
    output,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
