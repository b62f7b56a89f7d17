import type { Store } from '../../ports/store.js';

/**
 * Every method of the Store port, as the store thread answers it. A record over `keyof Store` so that a method added
 * to the port and not here fails to compile, instead of failing in production at its first call.
 * redactTranscripts is not passed through (its `redact` is a function, which cannot cross threads): threaded-store.ts
 * builds it from the two methods after it.
 */
const PORT_METHODS: Record<Exclude<keyof Store, 'redactTranscripts'>, true> = {
  ping: true,
  nextAdvisoryNumber: true,
  createAdvisory: true,
  getAdvisory: true,
  listUnannouncedAdvisories: true,
  markAnnounced: true,
  saveAdvisory: true,
  listAdvisoriesOwingWork: true,
  listRecentAdvisories: true,
  countUnacknowledged: true,
  anyUnacknowledged: true,
  ensureDeliveries: true,
  getDelivery: true,
  listDeliveries: true,
  saveDelivery: true,
  listOwedDeliveries: true,
  findDeliveryByMessage: true,
  addAcknowledgement: true,
  listAcknowledgements: true,
  claimStep: true,
  releaseStep: true,
  finishStep: true,
  beginPost: true,
  settlePost: true,
  ensurePhoneTask: true,
  getPhoneTask: true,
  savePhoneTask: true,
  findPhoneTaskByMessage: true,
  listOpenPhoneTasks: true,
  listPhoneTasks: true,
  saveConversation: true,
  getConversation: true,
  latestConversationInTenant: true,
  close: true,
  saveTranscript: true,
  getTranscript: true,
  searchTranscripts: true,
  deleteTranscripts: true,
  appendAudit: true,
  listAudit: true,
  listAuditChains: true,
  readAuditChain: true,
  auditChainHead: true,
  findDeliveryByFollowUpOrReminder: true,
  addThreadMessage: true,
  getThreadMessage: true,
  saveThreadMessage: true,
  listThreadMessages: true,
};

export const STORE_THREAD_METHODS = [...Object.keys(PORT_METHODS), 'redactableTranscripts', 'replaceTranscripts'] as const;
