/**
 * Appends to one hash chain wait in line in this process, and whoever is waiting when the line
 * comes free goes in one batch: one commit (one insertMany) for all of them.
 *
 * Why: every append to a chain must follow the one before it, so appends to one chain are
 * serialised whatever we do. Racing them against each other (read the end, insert, lose on the
 * unique (chain, seq) index, read again) wastes rounds that grow with the number of racers: with
 * 50 acknowledgements in flight the last one would lose 49 times. In line, a process's appends
 * never race each other; only other processes' appends can, and each lost round still commits a
 * whole batch. Under a burst the batches grow, so the rate is kept at a batch per round trip.
 *
 * Each line also remembers where its chain ended after its last commit (`tip`), so an append in
 * the middle of a burst needs no read at all; the line and its tip are dropped when it goes idle.
 */
export interface Line<Tip> {
  /** Where the chain ended after this line's last commit; null: unknown, read it. */
  tip: Tip | null;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

interface LineState<T, Tip> extends Line<Tip> {
  waiting: Waiting<T>[];
}

export class ChainLines<T, Tip> {
  private readonly lines = new Map<string, LineState<T, Tip>>();

  constructor(
    /** Stores a batch at the end of the chain; rejects if it could not (the whole batch fails then). */
    private readonly commit: (chain: string, items: T[], line: Line<Tip>) => Promise<void>,
    /** A bound on one commit, so one insertMany stays well inside MongoDB's limits (16 MB, 100,000 writes). */
    private readonly maxBatch: number,
  ) {}

  add(chain: string, item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const existing = this.lines.get(chain);
      if (existing) {
        existing.waiting.push({ item, resolve, reject });
        return;
      }
      const line: LineState<T, Tip> = { tip: null, waiting: [{ item, resolve, reject }] };
      this.lines.set(chain, line);
      void this.drain(chain, line);
    });
  }

  private async drain(chain: string, line: LineState<T, Tip>): Promise<void> {
    while (line.waiting.length > 0) {
      const batch = line.waiting.splice(0, this.maxBatch);
      try {
        await this.commit(
          chain,
          batch.map((w) => w.item),
          line,
        );
        for (const w of batch) w.resolve();
      } catch (err) {
        // What it knew of the chain's end may be wrong now; each caller retries its own append.
        line.tip = null;
        for (const w of batch) w.reject(err);
      }
    }
    this.lines.delete(chain);
  }
}
