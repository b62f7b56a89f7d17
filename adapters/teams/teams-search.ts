import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import type { BotApp } from './bot-app.js';
import { TARGET_DATASET, targetSearchChoices } from './advisory-form-card.js';
import { actorOf } from './teams-edge.js';

/**
 * Search-as-you-type for the form's organisation and group pickers (Input.ChoiceSet with
 * Data.Query), used when a sector is too large for a static list (local government: ~1,800).
 */
export function registerTeamsSearch(app: BotApp, core: Core, log: Logger): void {
  const isSearch = async (context: TurnContext) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'application/search';
  app.activity(isSearch, async (context) => {
    const value = (context.activity.value ?? {}) as { queryText?: string; dataset?: string };
    let results: { title: string; value: string }[] = [];
    try {
      const form = await core.openAdvisoryForm(actorOf(context));
      const items = value.dataset === TARGET_DATASET.groups ? form.groups : form.organisations;
      results = targetSearchChoices(value.queryText ?? '', items);
    } catch (err) {
      // Refused (not the secretariat) or failed: an empty list, and the reason in the log once.
      log.warn({ err, dataset: value.dataset }, 'Teams target search refused');
    }
    await context.sendActivity({
      type: ActivityTypes.InvokeResponse,
      value: { status: 200, body: { type: 'application/vnd.microsoft.search.searchResponse', value: { results } } },
    });
  });
}
