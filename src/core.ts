import type { Actor, MessageRef } from './domain/platform.js';
import { acknowledgeDelivery, acknowledgeFromMessage, type AckResult } from './commands/acknowledge.js';
import { deliverAdvisory, type DeliverOutcome } from './commands/deliver.js';
import type { CoreDeps } from './commands/deps.js';
import { issueAdvisory, type IssueRequest, type IssueResult } from './commands/issue-advisory.js';
import { previewAdvisory } from './commands/preview-advisory.js';
import { openDrillForm, type DrillFormView } from './commands/drill-form.js';
import type { PreviewView } from './view/preview-view.js';
import { alertDeliveryFailed, announceIssued } from './commands/notify.js';
import { refreshDeliveryMessages, refreshPhoneTaskMessages } from './commands/refresh.js';
import { refreshStatusCard } from './commands/status-card.js';
import { refreshAlertDigest } from './commands/alert-digest.js';
import type { AlertKind } from './domain/alert-wave.js';
import { runEscalationStep, type StepOutcome, type StepRequest } from './commands/escalate.js';
import { claimFromBoard, oncallList, phoneTaskAction, type BoardClaimRequest, type PhoneActionRequest, type PhoneActionResult } from './commands/phone-task.js';
import { phoneBoardPage, refreshPhoneBoard } from './commands/phone-board.js';
import type { AdvisorySummaryView, AdvisoryView, OncallListView, PhoneBoardView, PhoneTaskView, StatusQuery } from './view/views.js';
import { conversationInTenant, findConversation, recordConversation } from './commands/conversations.js';
import { deliveryView, phoneTaskViewOf } from './commands/views.js';
import type { ConversationRecord } from './domain/conversation.js';
import { listAdvisories, openAdvisoryForm, statusOf } from './commands/status.js';
import type { AckVia } from './domain/delivery.js';
import type { StatusView, TargetOptions } from './view/views.js';
import { reconcile, type ReconcileReport } from './commands/reconcile.js';
import { giveUp } from './commands/give-up.js';
import type { Work } from './ports/jobs.js';
import {
  closeAdvisoryByCommand,
  correctAdvisory,
  lifecycleForm,
  postFollowUp,
  withdrawAdvisory,
  type LifecycleFormView,
  type LifecycleResult,
} from './commands/lifecycle.js';
import type { CorrectionInput, FollowUpInput, WithdrawalInput } from './domain/lifecycle-input.js';
import { syncAdvisory, syncDelivery, type SyncOutcome } from './commands/sync.js';
import { tellClosing } from './commands/closing.js';
import { recordThreadMessage, threadOf } from './commands/threads.js';
import type { ThreadEvent, ThreadResult } from './domain/thread-message.js';
import type { ThreadView } from './view/thread-view.js';
import { archiveAdvisory } from './commands/archive.js';
import { issueExportLink, redeemExportLink, type ExportLink } from './commands/export-link.js';
import type { ExportFile, ExportFormat } from './view/export-view.js';
import { reachChart, reachFile, reachSvgFor, reachViewFor, type ReachFile, type ReachFileRequest } from './commands/reach.js';
import type { ReachReport } from './domain/reach.js';
import type { ReachView } from './view/reach-view.js';

/**
 * The bot core as adapters and workflows see it: one method per command.
 * Adapters never reach the store or the directory themselves.
 */
export class Core {
  constructor(private readonly deps: CoreDeps) {}

  openAdvisoryForm(actor: Actor): Promise<TargetOptions> {
    return openAdvisoryForm(this.deps, actor);
  }
  /** `/advisory drill`: the form, filled in from the drill template (secretariat only). */
  openDrillForm(actor: Actor): Promise<DrillFormView> {
    return openDrillForm(this.deps, actor);
  }
  issueAdvisory(req: IssueRequest): Promise<IssueResult> {
    return issueAdvisory(this.deps, req);
  }
  /** What issuing `input` would send now, from the directory alone: nothing is stored, queued or posted. */
  previewAdvisory(actor: Actor, input: unknown): Promise<PreviewView> {
    return previewAdvisory(this.deps, actor, input);
  }
  statusOf(actor: Actor, advisoryId: string, query?: StatusQuery): Promise<StatusView> {
    return statusOf(this.deps, actor, advisoryId, query);
  }
  /** `filter.drill`: only drills (true) or only real advisories (false), so drills are listed apart from real figures. */
  listAdvisories(actor: Actor, limit?: number, filter?: { drill?: boolean | undefined }): Promise<AdvisorySummaryView[]> {
    return listAdvisories(this.deps, actor, limit, filter);
  }
  acknowledgeFromMessage(req: { actor: Actor; message: MessageRef; claimedDeliveryId?: string | undefined }): Promise<AckResult> {
    return acknowledgeFromMessage(this.deps, req);
  }
  acknowledgeDelivery(req: { deliveryId: string; actor: Actor; via: AckVia }): Promise<AckResult> {
    return acknowledgeDelivery(this.deps, req);
  }
  deliver(deliveryId: string): Promise<DeliverOutcome> {
    return deliverAdvisory(this.deps, deliveryId);
  }
  refreshMessages(deliveryId: string): Promise<number> {
    return refreshDeliveryMessages(this.deps, deliveryId);
  }
  alertDeliveryFailed(deliveryId: string): Promise<number> {
    return alertDeliveryFailed(this.deps, deliveryId);
  }
  announceIssued(advisoryId: string): Promise<number> {
    return announceIssued(this.deps, advisoryId);
  }
  runEscalationStep(req: StepRequest): Promise<StepOutcome> {
    return runEscalationStep(this.deps, req);
  }
  refreshPhoneTask(taskId: string): Promise<number> {
    return refreshPhoneTaskMessages(this.deps, taskId);
  }
  refreshStatusCard(advisoryId: string): Promise<number> {
    return refreshStatusCard(this.deps, advisoryId);
  }
  refreshAlertDigest(advisoryId: string, kind: AlertKind, wave: number): Promise<number> {
    return refreshAlertDigest(this.deps, advisoryId, kind, wave);
  }
  phoneTaskAction(req: PhoneActionRequest): Promise<PhoneActionResult> {
    return phoneTaskAction(this.deps, req);
  }
  /** A claim from the phone-task board (a select or a button on one of its pages). */
  claimFromBoard(req: BoardClaimRequest): Promise<PhoneActionResult & { page: number }> {
    return claimFromBoard(this.deps, req);
  }
  refreshPhoneBoard(advisoryId: string): Promise<number> {
    return refreshPhoneBoard(this.deps, advisoryId);
  }
  /** Page `page` of the advisory's board as it reads now (a Teams press is answered with it). */
  phoneBoardPage(advisoryId: string, page: number): Promise<PhoneBoardView> {
    return phoneBoardPage(this.deps, advisoryId, page);
  }
  oncallList(actor: Actor): Promise<OncallListView> {
    return oncallList(this.deps, actor);
  }
  recordConversation(record: Omit<ConversationRecord, 'updatedAt'>): Promise<void> {
    return recordConversation(this.deps, record);
  }
  findConversation(platform: ConversationRecord['platform'], conversationId: string): Promise<ConversationRecord | null> {
    return findConversation(this.deps, platform, conversationId);
  }
  conversationInTenant(platform: ConversationRecord['platform'], tenantId: string): Promise<ConversationRecord | null> {
    return conversationInTenant(this.deps, platform, tenantId);
  }
  /** Make the queue match the store: queue every piece of owed work the queue does not hold. */
  reconcile(): Promise<ReconcileReport> {
    return reconcile(this.deps);
  }
  /** 訂正: edit every posted copy, saying what changed. */
  correctAdvisory(req: { actor: Actor; advisoryId: string; input: CorrectionInput }): Promise<LifecycleResult> {
    return correctAdvisory(this.deps, req);
  }
  /** 続報: new information in the thread of every delivery. */
  postFollowUp(req: { actor: Actor; advisoryId: string; input: FollowUpInput }): Promise<LifecycleResult> {
    return postFollowUp(this.deps, req);
  }
  /** 取り下げ: replace every copy with the withdrawal notice and stop everything. */
  withdrawAdvisory(req: { actor: Actor; advisoryId: string; input: WithdrawalInput }): Promise<LifecycleResult> {
    return withdrawAdvisory(this.deps, req);
  }
  /** What the correction / follow-up / withdrawal / closing forms show of the advisory. */
  lifecycleForm(actor: Actor, advisoryId: string): Promise<LifecycleFormView> {
    return lifecycleForm(this.deps, actor, advisoryId);
  }
  closeAdvisory(req: { actor: Actor; advisoryId: string }): Promise<LifecycleResult> {
    return closeAdvisoryByCommand(this.deps, req);
  }
  /** Queue the sync of every delivery behind the advisory (the reconciler does the same each pass). */
  syncAdvisory(advisoryId: string): Promise<number> {
    return syncAdvisory(this.deps, advisoryId);
  }
  syncDelivery(deliveryId: string): Promise<SyncOutcome> {
    return syncDelivery(this.deps, deliveryId);
  }
  /** A short-lived link to the advisory's record (CSV or JSON), for the secretariat. */
  exportLink(req: { actor: Actor; advisoryId: string; format: ExportFormat }): Promise<ExportLink> {
    return issueExportLink(this.deps, req);
  }
  /** The file behind an export link, as its owner may have it (audited). */
  redeemExportLink(token: string): Promise<ExportFile> {
    return redeemExportLink(this.deps, token);
  }
  /** Write the ended advisory's transcript to the archive. */
  archiveAdvisory(advisoryId: string): Promise<'archived' | 'not-due'> {
    return archiveAdvisory(this.deps, advisoryId);
  }
  /** Post the closing summary (or withdrawal notice) to the secretariat, once. */
  tellClosing(advisoryId: string): Promise<number> {
    return tellClosing(this.deps, advisoryId);
  }
  /** A job used up its attempts: turn what it owed into a failure the secretariat hears of. */
  giveUp(work: Work, reason: string): Promise<void> {
    return giveUp(this.deps, work, reason);
  }
  /** A person's message in a delivery's thread, its edit or its deletion, as the platform delivered it: recorded once. */
  recordThreadMessage(event: ThreadEvent): Promise<ThreadResult> {
    return recordThreadMessage(this.deps, event);
  }
  /** What a member wrote in their thread (secretariat only): by delivery, or by advisory and member. */
  threadOf(actor: Actor, which: { deliveryId: string } | { advisoryId: string; memberId: string }): Promise<ThreadView> {
    return threadOf(this.deps, actor, which);
  }
  deliveryView(deliveryId: string): Promise<AdvisoryView> {
    return deliveryView(this.deps, deliveryId);
  }
  phoneTaskView(taskId: string): Promise<PhoneTaskView> {
    return phoneTaskViewOf(this.deps, taskId);
  }
  /** The reach report (疎通確認率) worded for the status page (secretariat only). */
  reachView(actor: Actor, advisoryId: string): Promise<ReachView> {
    return reachViewFor(this.deps, actor, advisoryId);
  }
  /** The reach chart as SVG for the status page (secretariat only; shown, not audited). */
  reachSvg(actor: Actor, advisoryId: string): Promise<string> {
    return reachSvgFor(this.deps, actor, advisoryId);
  }
  /** The reach report as CSV, JSON, SVG or PNG, maybe beside another advisory's (secretariat only, audited). */
  reachFile(req: ReachFileRequest): Promise<ReachFile> {
    return reachFile(this.deps, req);
  }
  /** The reach chart of an advisory as SVG text and PNG bytes, for the closing summary on Slack and Teams. */
  reachChart(advisoryId: string): Promise<{ svg: string; png: Uint8Array; report: ReachReport }> {
    return reachChart(this.deps, advisoryId);
  }
}
