/**
 * The phone-task board at its edges: a new page leaves the pages before it alone, a page found again after a post of
 * unknown outcome is redrawn as the board reads now, a board whose tasks had all ended says so when the advisory
 * closes, and a claim on an advisory that has ended is refused before its tasks are.
 */
import { afterEach, expect, it } from 'vitest';
import { DirectoryFile } from '../../../src/directory/schema.js';
import type { Actor } from '../../../src/domain/platform.js';
import { ChatError, type OutboundView } from '../../../src/ports/chat.js';
import { largeDirectory } from '../../support/large-directory.js';
import { coreFixture, ONCALL, SECRETARIAT, type CoreFixture } from '../../support/core-fixture.js';
import { advisoryMessage, boardPost, boardShown, copiesTo, drainBoard, drainLifecycle, issueAndPost, JMA_STAFF, ONCALL_B, ONCALL_CHANNEL, untilPhoneTask } from './helpers.js';

let f: CoreFixture;
afterEach(async () => {
  await f.close();
});

async function toPhone(ids: string[]) {
  for (const id of ids) for (;;) {
    const d = (await f.store.getDelivery(id))!;
    if (!d.nextStep || d.ladder?.kind === 'phone') break;
    f.clock.set(d.nextStep.at);
    await f.core.runEscalationStep({ deliveryId: id, token: d.escalationToken, kind: d.nextStep.kind, index: d.nextStep.index });
  }
}

it('a new page leaves the full pages before it alone (only page 1 shows how many pages there are)', async () => {
  const file = largeDirectory(81) as { oncall: { users: Actor[] } };
  file.oncall.users = [ONCALL];
  f = await coreFixture({ directory: DirectoryFile.parse(file) });
  const members = Array.from({ length: 81 }, (_, i) => `lg-${String(i + 1).padStart(4, '0')}`);
  const { advisory, deliveries } = await f.core.issueAdvisory({ actor: SECRETARIAT, requestKey: 'r', input: { title: 't', body: 'b', source: 'jpcert', tlp: 'TLP:AMBER', severity: 'level3', category: 'vulnerability', targets: { allMembers: false, observers: false, groups: [], members } } });
  for (const d of deliveries) await f.core.deliver(d.id);
  await toPhone(deliveries.slice(0, 80).map((d) => d.id));
  await drainBoard(f);
  await toPhone([deliveries[80]!.id]);
  await drainBoard(f);
  const page2 = boardPost(f, advisory.id, 2).ref;
  expect(f.chat.updates.filter((u) => u.ref.messageId === page2.messageId)).toEqual([]);
});

it('a page found after a timed-out post is drawn as the board reads now', async () => {
  f = await coreFixture();
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
  await toPhone(deliveries.map((d) => d.id));
  let attempted: OutboundView | undefined;
  f.chat.failPosts = (target, message) => {
    if (target.channelId !== ONCALL_CHANNEL) return undefined;
    attempted = message;
    return new ChatError('transient', 'request_timeout', { reason: 'timeout' });
  };
  await expect(f.core.refreshPhoneBoard(advisory.id)).rejects.toMatchObject({ code: 'request_timeout' });
  f.chat.failPosts = undefined;
  await f.chat.post({ workspaceId: 'T0CEPTOAR0', channelId: ONCALL_CHANNEL }, attempted!, `${advisory.id}.board.p1`);
  // Before the retry, jma acknowledges by button: its row changes.
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
  await drainBoard(f);
  expect(boardShown(f, advisory.id).rows.map((r) => r.state)).toContain('cancelled');
});

it('an advisory closed with no task left open: its board says it ended', async () => {
  f = await coreFixture();
  const { advisory, deliveries } = await issueAndPost(f, ['jma', 'jda']);
  await untilPhoneTask(f, deliveries[0]!.id);
  // jma acknowledges by button (its task is cancelled, the board shows it); jda is silent, not yet at its phone step.
  await f.core.acknowledgeFromMessage({ actor: JMA_STAFF, message: advisoryMessage(f, 'C0JMA00001') });
  await drainBoard(f);
  await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
  await drainLifecycle(f);
  await f.core.reconcile();
  await drainLifecycle(f);
  expect((await f.store.getAdvisory(advisory.id))?.state).toBe('closed');
  expect(boardShown(f, advisory.id).closed).toBe(true);
});

it('a claim from the board of an advisory that has closed is refused', async () => {
  f = await coreFixture();
  const { advisory, deliveries } = await issueAndPost(f, ['jma']);
  const { task, board } = await untilPhoneTask(f, deliveries[0]!.id);
  await f.core.closeAdvisory({ actor: SECRETARIAT, advisoryId: advisory.id });
  // The sync that cancels the task has not run yet; the page still offers the task.
  await expect(f.core.claimFromBoard({ actor: ONCALL_B, message: board, taskId: task.id })).rejects.toMatchObject({ code: 'PHONE.CLOSED' });
  await drainLifecycle(f);
  expect(copiesTo(f, ONCALL_B.userId)).toEqual([]);
});
