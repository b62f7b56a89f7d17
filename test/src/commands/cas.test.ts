import { describe, expect, it } from 'vitest';
import { compareAndSet } from '../../../src/commands/cas.js';
import { enqueue } from '../../../src/commands/enqueue.js';
import { BotError } from '../../../src/errors.js';
import { transitionDelivery } from '../../../src/commands/delivery-cas.js';
import { transitionPhoneTask } from '../../../src/commands/phone-task-cas.js';
import { coreFixture, ISSUE_INPUT, raceNext, RecordingJobs, recordingLog, SECRETARIAT } from '../../support/core-fixture.js';

type Box = { v: number };
const change = (current: Box) => ({ changed: true as const, next: { v: current.v + 1 } });

function racingStore(lostRaces: number) {
  let stored: Box = { v: 0 };
  let saves = 0;
  let reads = 0;
  return {
    reads: () => reads,
    what: {
      read: async () => {
        reads += 1;
        return stored;
      },
      save: async (next: Box) => {
        saves += 1;
        if (saves <= lostRaces) return false;
        stored = next;
        return true;
      },
      notFound: 'DELIVERY.NOT_FOUND' as const,
      id: 'd1',
    },
  };
}

describe('compareAndSet', () => {
  it('decides its first try from the record the caller just read, without reading it again', async () => {
    const s = racingStore(0);
    const t = await compareAndSet(s.what, change, { from: { v: 41 } });
    expect(t).toEqual({ changed: true, next: { v: 42 } });
    expect(s.reads()).toBe(0);
  });

  it('a stale record given loses its race and the next try reads afresh', async () => {
    const s = racingStore(1);
    const t = await compareAndSet(s.what, change, { from: { v: 41 }, sleep: async () => undefined });
    expect(t).toEqual({ changed: true, next: { v: 1 } });
    expect(s.reads()).toBe(1);
  });

  it('writes at once when nobody races, without waiting', async () => {
    const s = racingStore(0);
    const sleeps: number[] = [];
    const t = await compareAndSet(s.what, change, { sleep: async (ms) => void sleeps.push(ms), random: () => 1 });
    expect(t).toEqual({ changed: true, next: { v: 1 } });
    expect(sleeps).toEqual([]);
    expect(s.reads()).toBe(1);
  });

  it('waits a growing, jittered while after each lost race, then wins', async () => {
    const s = racingStore(3);
    const sleeps: number[] = [];
    await compareAndSet(s.what, change, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.999 });
    expect(sleeps).toEqual([4, 9, 19]);
    const none: number[] = [];
    await compareAndSet(racingStore(2).what, change, { sleep: async (ms) => void none.push(ms), random: () => 0 });
    expect(none).toEqual([0, 0]);
  });

  it('gives up with STORE.CONFLICT after ten lost races, and says not found for a missing record', async () => {
    const s = racingStore(1_000);
    await expect(compareAndSet(s.what, change, { sleep: async () => undefined })).rejects.toMatchObject({ code: 'STORE.CONFLICT', detail: { id: 'd1', tries: 10 } });
    expect(s.reads()).toBe(10);
    await expect(compareAndSet({ ...s.what, read: async () => null }, change)).rejects.toMatchObject({ code: 'DELIVERY.NOT_FOUND', detail: { id: 'd1' } });
  });
});

describe('enqueue', () => {
  it('says whether the work is queued: true when it is, false while the queue is down', async () => {
    const jobs = new RecordingJobs();
    const { log } = recordingLog();
    expect(await enqueue({ jobs, log }, [{ kind: 'deliver', scope: 'u', deliveryId: 'd' }])).toBe(true);
    expect(jobs.ensured).toHaveLength(1);
    jobs.down = true;
    expect(await enqueue({ jobs, log }, [{ kind: 'deliver', scope: 'u', deliveryId: 'e' }])).toBe(false);
    // Nothing to queue is queued, whatever the queue's state.
    expect(await enqueue({ jobs, log }, [])).toBe(true);
  });

  it('lets any other failure through', async () => {
    const { log } = recordingLog();
    const jobs = new RecordingJobs();
    jobs.ensure = async () => {
      throw new BotError('STORE.CONFLICT', 'x');
    };
    await expect(enqueue({ jobs, log }, [{ kind: 'deliver', scope: 'u', deliveryId: 'd' }])).rejects.toMatchObject({ code: 'STORE.CONFLICT' });
  });
});

describe('the compare-and-set of each record', () => {
  it('says which record is missing, by its own not-found code', async () => {
    const f = await coreFixture();
    try {
      const never = () => {
        throw new Error('no record to decide on');
      };
      await expect(transitionDelivery(f.store, 'nope', never)).rejects.toMatchObject({ code: 'DELIVERY.NOT_FOUND', detail: { id: 'nope' } });
      await expect(transitionPhoneTask(f.store, 'nope', never)).rejects.toMatchObject({ code: 'PHONE.NOT_FOUND', detail: { id: 'nope' } });
    } finally {
      await f.close();
    }
  });

  it('retries a lost race against the store and then sees the winner\'s record', async () => {
    const f = await coreFixture();
    try {
      const { deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'cas', input: ISSUE_INPUT });
      const d = deliveries[0]!;
      const race = raceNext(f.store, 'saveDelivery');
      const seen: number[] = [];
      const bump = (current: typeof d) => {
        seen.push(current.version);
        return current.postAttempts > 0 ? { changed: false as const, reason: 'already' as const, current } : { changed: true as const, next: { ...current, postAttempts: 1, version: current.version + 1 } };
      };
      const [a, b] = await Promise.all([transitionDelivery(f.store, d.id, bump), transitionDelivery(f.store, d.id, bump)]);
      expect(race.results).toEqual([true, false]);
      expect([a.changed, b.changed]).toEqual([true, false]);
      // The loser read again after losing, and decided from the winner's version.
      expect(seen).toEqual([0, 0, 1]);
      expect((await f.store.getDelivery(d.id))?.postAttempts).toBe(1);
    } finally {
      await f.close();
    }
  });
});
