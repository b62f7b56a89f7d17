import type { AdvisoryInput } from '../domain/advisory.js';
import { DEFAULT_DRILL_TEMPLATE, drillFormEntries } from '../domain/drill-template.js';
import type { Actor } from '../domain/platform.js';
import type { TargetOptions } from '../view/views.js';
import { requireSecretariat } from './authorise.js';
import type { CoreDeps } from './deps.js';
import { openAdvisoryForm } from './status.js';

/** `/advisory drill`: the advisory form, and its entries filled in from the drill template. */
export interface DrillFormView {
  options: TargetOptions;
  /** A drill, the template's content and targets, and the announcement it offers (the window from now). */
  entries: AdvisoryInput;
}

/**
 * The advisory form opened for a drill (secretariat only; anyone else is refused and audited, as for the form
 * itself). Nothing is stored: the drill is issued, like any advisory, through the preview and Send.
 */
export async function openDrillForm(deps: CoreDeps, actor: Actor): Promise<DrillFormView> {
  await requireSecretariat(deps, actor, 'advisory.drill_form');
  const options = await openAdvisoryForm(deps, actor);
  return { options, entries: drillFormEntries(deps.drillTemplate ?? DEFAULT_DRILL_TEMPLATE, deps.clock.now()) };
}
