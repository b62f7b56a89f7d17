import type { MessageRef } from './platform.js';

/**
 * Alerts to the secretariat come grouped: one message per advisory and wave, listing the members
 * concerned and updated in place as they resolve, rather than one message per member (1,800
 * members silent at the end of one ladder were 1,800 messages). A wave gathers the members whose
 * alert comes within WAVE_WINDOW_MS of its first: members issued together reach the end of the
 * ladder together; members with more contacts, later, in a wave of their own.
 */
export type AlertKind = 'escalation' | 'failed';

export const WAVE_WINDOW_MS = 2 * 60_000;

export interface AlertWave {
  kind: AlertKind;
  /** 1, 2, … per kind, in order. */
  n: number;
  openedAt: string;
  /** The delivery whose alert opened it: that alert's job posts the message (a retry of it too). */
  openedBy: string;
  /** Where the message is, once posted; then every change is an update of it. */
  messages?: MessageRef[] | undefined;
}

/** What the waves live in: the advisory record (kept structural, so this file needs nothing of advisory.ts). */
interface WithWaves {
  alertWaves?: AlertWave[] | undefined;
  version?: number | undefined;
}

export type WaveJoin<A extends WithWaves> = { changed: true; next: A; wave: AlertWave } | { changed: false; current: A; wave: AlertWave };

/** The wave a member's alert belongs in now: the kind's last one if it opened within the window, else a new one it opens. */
export function joinWave<A extends WithWaves>(a: A, kind: AlertKind, deliveryId: string, now: Date, windowMs = WAVE_WINDOW_MS): WaveJoin<A> {
  const waves = a.alertWaves ?? [];
  const last = waves.filter((w) => w.kind === kind).at(-1);
  if (last && (last.openedBy === deliveryId || now.getTime() - new Date(last.openedAt).getTime() < windowMs)) {
    return { changed: false, current: a, wave: last };
  }
  const wave: AlertWave = { kind, n: (last?.n ?? 0) + 1, openedAt: now.toISOString(), openedBy: deliveryId };
  return { changed: true, next: { ...a, alertWaves: [...waves, wave], version: (a.version ?? 0) + 1 }, wave };
}

/** The wave's message was posted: keep where, so later changes update it. Once. */
export function waveMessages<A extends WithWaves>(a: A, kind: AlertKind, n: number, messages: MessageRef[]): A | null {
  const waves = a.alertWaves ?? [];
  const i = waves.findIndex((w) => w.kind === kind && w.n === n);
  const wave = waves[i];
  if (!wave || wave.messages !== undefined) return null;
  const next = [...waves];
  next[i] = { ...wave, messages };
  return { ...a, alertWaves: next, version: (a.version ?? 0) + 1 };
}

export function findWave(a: WithWaves, kind: AlertKind, n: number): AlertWave | undefined {
  return a.alertWaves?.find((w) => w.kind === kind && w.n === n);
}
