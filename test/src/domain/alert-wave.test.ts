import { describe, expect, it } from 'vitest';
import { findWave, joinWave, waveMessages, WAVE_WINDOW_MS, type AlertWave } from '../../../src/domain/alert-wave.js';

/** Alert waves on the advisory record: which wave a member's alert joins, and where its message is. */

const T = Date.parse('2026-12-01T00:00:00.000Z');
const at = (ms: number) => new Date(T + ms);
const ref = (id: string) => ({ platform: 'slack' as const, channelId: 'C0SEC', messageId: id });
/** What the waves live in (the advisory record, here only its waves and version). */
type Record = { alertWaves?: AlertWave[] | undefined; version?: number | undefined };
const record = (r: Record = {}): Record => r;

describe('joinWave', () => {
  it('opens wave 1 for the first alert of a kind, then keeps the others within the window in it', () => {
    const first = joinWave(record(), 'escalation', 'd1', at(0));
    expect(first).toMatchObject({ changed: true, wave: { kind: 'escalation', n: 1, openedAt: at(0).toISOString(), openedBy: 'd1' } });
    if (!first.changed) throw new Error('no change');
    expect(first.next).toEqual({ alertWaves: [first.wave], version: 1 });
    const second = joinWave(first.next, 'escalation', 'd2', at(WAVE_WINDOW_MS - 1));
    expect(second).toEqual({ changed: false, current: first.next, wave: first.wave });
  });

  it('a new wave once the window has passed (exactly at its end too); the opener\'s retry finds its own wave whenever it comes', () => {
    const one = joinWave(record({ version: 4 }), 'escalation', 'd1', at(0));
    if (!one.changed) throw new Error('no change');
    const later = joinWave(one.next, 'escalation', 'd2', at(WAVE_WINDOW_MS));
    expect(later).toMatchObject({ changed: true, wave: { n: 2, openedBy: 'd2' } });
    if (!later.changed) throw new Error('no change');
    expect(later.next.version).toBe(6);
    expect(later.next.alertWaves?.map((w) => w.n)).toEqual([1, 2]);
    // d2 opened wave 2: its retry an hour later is still in wave 2, not a third.
    expect(joinWave(later.next, 'escalation', 'd2', at(3_600_000))).toMatchObject({ changed: false, wave: { n: 2 } });
  });

  it('kinds have waves of their own', () => {
    const esc = joinWave(record(), 'escalation', 'd1', at(0));
    if (!esc.changed) throw new Error('no change');
    const failed = joinWave(esc.next, 'failed', 'd2', at(1_000));
    expect(failed).toMatchObject({ changed: true, wave: { kind: 'failed', n: 1 } });
    if (!failed.changed) throw new Error('no change');
    expect(joinWave(failed.next, 'escalation', 'd3', at(2_000))).toMatchObject({ changed: false, wave: { kind: 'escalation', n: 1 } });
    expect(findWave(failed.next, 'failed', 1)?.openedBy).toBe('d2');
    expect(findWave(failed.next, 'failed', 2)).toBeUndefined();
    expect(findWave(failed.next, 'escalation', 1)?.openedBy).toBe('d1');
  });
});

describe('waveMessages', () => {
  const waves: AlertWave[] = [
    { kind: 'escalation', n: 1, openedAt: at(0).toISOString(), openedBy: 'd1' },
    { kind: 'failed', n: 1, openedAt: at(0).toISOString(), openedBy: 'd2' },
    { kind: 'escalation', n: 2, openedAt: at(WAVE_WINDOW_MS).toISOString(), openedBy: 'd3' },
  ];

  it('keeps where the one wave asked for was posted, once, and leaves the others', () => {
    const next = waveMessages({ alertWaves: waves, version: 2 }, 'escalation', 2, [ref('m1')]);
    expect(next?.version).toBe(3);
    expect(next?.alertWaves?.map((w) => w.messages)).toEqual([undefined, undefined, [ref('m1')]]);
    expect(waveMessages(next!, 'escalation', 2, [ref('m2')])).toBeNull();
    expect(waveMessages({ alertWaves: waves }, 'failed', 2, [ref('m3')])).toBeNull();
    expect(waveMessages(record(), 'failed', 1, [ref('m3')])).toBeNull();
    expect(waveMessages({ alertWaves: waves }, 'failed', 1, [ref('m4')])?.alertWaves?.[1]?.messages).toEqual([ref('m4')]);
  });
});
