import type { Core } from '../../src/core.js';
import type { Logger } from '../../src/log.js';
import { ACTION, targetOptions } from './advisory-modal.js';
import type { BoltApp } from './bolt-app.js';

/**
 * The organisation (and group) pickers switch to external selects when a sector has more than
 * 100 entries (local government: ~1,800). Slack asks here as the person types.
 */
export function registerTargetOptions(app: BoltApp, core: Core, log: Logger): void {
  for (const actionId of [ACTION.organisations, ACTION.groups]) {
    app.options(actionId, async ({ ack, body }) => {
      try {
        const form = await core.openAdvisoryForm({ platform: 'slack', userId: body.user.id, name: body.user.name });
        const items = actionId === ACTION.groups ? form.groups : form.organisations;
        await ack({ options: targetOptions(body.value, items) });
      } catch (err) {
        log.warn({ err, user: body.user.id, actionId }, 'target options refused');
        await ack({ options: [] });
      }
    });
  }
}
