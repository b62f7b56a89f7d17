/** The `view.state.values` Slack sends for a filled-in advisory modal. */
import { ACTION, BLOCK, DRILL_ANNOUNCE, DRILL_UNANNOUNCED, DRILL_VALUE, NO_ESCALATE_VALUE, TARGET_ALL_MEMBERS, TARGET_OBSERVERS } from '../../adapters/slack/advisory-modal.js';

export interface FormFields {
  title?: string;
  body?: string;
  tlp?: string;
  severity?: string;
  category?: string;
  source?: string;
  allMembers?: boolean;
  observers?: boolean;
  groups?: string[];
  members?: string[];
  deadlineMinutes?: number | 'default';
  drill?: boolean;
  /** false ticks "do not escalate"; absent or true leaves it unticked. */
  escalate?: boolean;
  /**
   * The drill form's announcement (present only on a form opened as a drill): announce now or not, and the window as
   * Slack's datetimepickers submit it (instants, sent as seconds since the epoch).
   */
  drillPlan?: { announce: boolean; from?: Date; to?: Date };
}

const select = (value: string | undefined) => ({
  type: 'static_select',
  selected_option: value === undefined ? null : { value, text: { type: 'plain_text', text: value } },
});
const many = (type: string, values: string[]) => ({ type, selected_options: values.map((value) => ({ value, text: { type: 'plain_text', text: value } })) });

export function formValues(f: FormFields): Record<string, Record<string, unknown>> {
  const flags = [...(f.allMembers ? [TARGET_ALL_MEMBERS] : []), ...(f.observers ? [TARGET_OBSERVERS] : [])];
  return {
    [BLOCK.title]: { [ACTION.title]: { type: 'plain_text_input', value: f.title ?? null } },
    [BLOCK.body]: { [ACTION.body]: { type: 'plain_text_input', value: f.body ?? null } },
    [BLOCK.tlp]: { [ACTION.tlp]: select(f.tlp) },
    [BLOCK.severity]: { [ACTION.severity]: select(f.severity) },
    [BLOCK.category]: { [ACTION.category]: select(f.category) },
    [BLOCK.source]: { [ACTION.source]: select(f.source) },
    [BLOCK.targets]: { [ACTION.targets]: many('checkboxes', flags) },
    [BLOCK.groups]: { [ACTION.groups]: many('multi_static_select', f.groups ?? []) },
    [BLOCK.organisations]: { [ACTION.organisations]: many('multi_static_select', f.members ?? []) },
    [BLOCK.ackDeadline]: { [ACTION.ackDeadline]: select(String(f.deadlineMinutes ?? 'default')) },
    [BLOCK.drill]: { [ACTION.drill]: many('checkboxes', f.drill ? [DRILL_VALUE] : []) },
    [BLOCK.escalate]: { [ACTION.escalate]: many('checkboxes', f.escalate === false ? [NO_ESCALATE_VALUE] : []) },
    ...(f.drillPlan
      ? {
          [BLOCK.drillAnnounce]: { [ACTION.drillAnnounce]: { type: 'radio_buttons', selected_option: { value: f.drillPlan.announce ? DRILL_ANNOUNCE : DRILL_UNANNOUNCED } } },
          [BLOCK.drillFrom]: { [ACTION.drillFrom]: { type: 'datetimepicker', selected_date_time: f.drillPlan.from ? Math.floor(f.drillPlan.from.getTime() / 1000) : null } },
          [BLOCK.drillTo]: { [ACTION.drillTo]: { type: 'datetimepicker', selected_date_time: f.drillPlan.to ? Math.floor(f.drillPlan.to.getTime() / 1000) : null } },
        }
      : {}),
  };
}

export const VALID_FORM: FormFields = {
  title: 'VPN 装置の脆弱性 (CVE-2026-0001)',
  body: '該当製品をご利用の場合は直ちに更新してください。',
  tlp: 'TLP:AMBER',
  severity: 'level3',
  category: 'vulnerability',
  source: 'nisc',
  allMembers: true,
};
