/**
 * One process appending to the audit log of a SQLite file, for sqlite-audit.test.ts: many of these
 * run at once on one file. argv: file, process number, events per process, shared events.
 * Each appends its own events and the shared ones (which every process appends: stored once).
 */
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';

const [file, who, ownCount, sharedCount] = process.argv.slice(2);
const store = new SqliteStore(file as string);
const events: { id: string; n: number }[] = [];
for (let i = 0; i < Number(ownCount); i++) events.push({ id: `p${who}-${i}`, n: i });
for (let i = 0; i < Number(sharedCount); i++) events.push({ id: `shared-${i}`, n: i });
// Start together: wait for the go line on stdin, so the processes really overlap.
process.stdin.once('data', async () => {
  await Promise.all(
    events.map((e, i) =>
      store.appendAudit({
        id: e.id,
        at: new Date(Date.UTC(2026, 3, 1, 9, 0, i % 60)).toISOString(),
        action: 'delivery.acknowledged',
        advisoryId: 'ADV-2026-0042',
        deliveryId: e.id,
        detail: { via: 'button', n: e.n },
      }),
    ),
  );
  await store.close();
  process.stdout.write('done\n');
  process.exit(0);
});
process.stdout.write('ready\n');
