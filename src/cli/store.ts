import { ConfigSchema } from '../config.js';
import { BotError } from '../errors.js';
import { openStore, type OpenedStore } from '../store/open-store.js';

/** Only the settings that choose the store: the CLI needs no chat or queue credentials. */
const StoreSettings = ConfigSchema.pick({ MONGODB_URI: true, DATA_DIR: true });

/** The store the bot uses, chosen as src/main.ts chooses it (MONGODB_URI, else DATA_DIR's SQLite file). */
export async function openStoreFromEnv(env: Record<string, string | undefined>): Promise<OpenedStore> {
  const parsed = StoreSettings.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new BotError('CONFIG.INVALID', `configuration is not valid: ${problems.join('; ')}`, { problems });
  }
  return openStore({ mongodbUri: parsed.data.MONGODB_URI, dataDir: parsed.data.DATA_DIR });
}
