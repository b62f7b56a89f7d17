/** What an export gives the person who asked: a file, or a short-lived link to one. */

export type ExportFormat = 'csv' | 'json';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: string;
  /** Made from the archived transcript (false: from the live records of an advisory not archived yet). */
  archived: boolean;
}

export interface ExportLink {
  /** `/export/<token>`: enough on the bot's own pages (the local workspace). */
  path: string;
  /** The full link for a chat, when PUBLIC_URL is set. */
  url?: string | undefined;
  expiresAt: string;
}
