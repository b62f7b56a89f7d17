import type { Clock } from '../clock.js';
import type { Directory } from '../directory/directory.js';
import type { EscalationPolicies } from '../domain/escalation.js';
import type { DrillTemplate } from '../domain/drill-template.js';
import type { Logger } from '../log.js';
import type { ChatPorts } from '../ports/chat.js';
import type { JobScheduler } from '../ports/jobs.js';
import type { Store } from '../ports/store.js';
import type { ChartDrawer } from '../view/chart-drawer.js';

/** What every core command may use; wired once, in the composition root. */
export interface CoreDeps {
  store: Store;
  directory: Directory;
  clock: Clock;
  chats: ChatPorts;
  jobs: JobScheduler;
  log: Logger;
  /** Default ladders by severity; each advisory keeps a copy of the one it was issued under. */
  policies: EscalationPolicies;
  /** What `/advisory drill` fills the form with (DRILL_TEMPLATE_FILE); absent: the built-in template. */
  drillTemplate?: DrillTemplate | undefined;
  /** Who draws the reach chart: in this process, or in a child process (view/chart-drawer.ts). */
  charts: ChartDrawer;
  settings: CoreSettings;
}

export interface CoreSettings {
  /**
   * How long a claimed escalation step is the claimer's alone. Another run may take it over only
   * after this (the claimer died or stalled); about the queue's lock duration.
   */
  stepLeaseMs: number;
  /** An open advisory closes by itself this long after its deadline (see closesAt()). */
  closeAfterDeadlineSeconds: number;
  /** How export links are signed and where they point (commands/export-link.ts). */
  exportLinks: ExportLinkSettings;
  /**
   * The secretariat's live status card is updated at most once per this many milliseconds; changes
   * within one interval are coalesced into one update (commands/status-card.ts). Absent: 5 s.
   */
  statusCardIntervalMs?: number | undefined;
}

/**
 * How `/advisory export` links are made (commands/export-link.ts).
 */
export interface ExportLinkSettings {
  /** HMAC key; every process of the bot must share it (links made by one are opened by another). */
  secret: string;
  ttlMs: number;
  /** Where people reach the bot's HTTP server (PUBLIC_URL); without it only a relative path can be given. */
  baseUrl?: string | undefined;
}

