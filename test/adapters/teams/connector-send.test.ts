/**
 * Teams' lean send path against the fake Bot Connector, below TeamsChat: the id a post is answered with (or none, for
 * an answer without one), an update that ignores its answer's body, and a refusal shaped as botbuilder's RestError —
 * status, Teams' error body as text, Retry-After through `response.headers.get` — which toChatError then reads.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorHttpError, createConnectorSend, type ConnectorSend } from '../../../adapters/teams/connector-send.js';
import { startFakeConnector, type FakeConnector } from '../../support/fake-bot-connector.js';

const CHANNEL = '19:4a1f0c2b9e8d4c7f@thread.tacv2';
const activity = { type: 'message', text: '警報 / Alert' };

let fake: FakeConnector;
let connector: ConnectorSend;
beforeEach(async () => {
  fake = await startFakeConnector();
  connector = createConnectorSend({ timeoutMs: 2_000 });
});
afterEach(async () => {
  await fake.close();
});

async function refusal(p: Promise<unknown>): Promise<ConnectorHttpError> {
  const err = await p.then(() => expect.unreachable('it should fail'), (e: unknown) => e);
  expect(err).toBeInstanceOf(ConnectorHttpError);
  return err as ConnectorHttpError;
}

describe('a post', () => {
  it('is answered with the id Teams gave it, and the message is in the conversation', async () => {
    const id = await connector.send(fake.serviceUrl, CHANNEL, activity);
    expect(id).toEqual(expect.any(String));
    expect(fake.activities(CHANNEL).map((a) => [a.id, a.text])).toEqual([[id, '警報 / Alert']]);
  });

  it('answered with a page or no body at all (a 2xx): no id, not an error — TeamsChat says the post may exist', async () => {
    fake.failNext({ method: 'POST', status: 202, rawBody: '' });
    expect(await connector.send(fake.serviceUrl, CHANNEL, activity)).toBeUndefined();
    fake.failNext({ method: 'POST', status: 200, rawBody: '<html>gateway</html>' });
    expect(await connector.send(fake.serviceUrl, CHANNEL, activity)).toBeUndefined();
    fake.failNext({ method: 'POST', status: 200, rawBody: 'null' });
    expect(await connector.send(fake.serviceUrl, CHANNEL, activity)).toBeUndefined();
    fake.failNext({ method: 'POST', status: 201, rawBody: '{"id":5}' });
    expect(await connector.send(fake.serviceUrl, CHANNEL, activity)).toBeUndefined();
  });
});

describe('an update', () => {
  it('replaces the message; an answer it cannot read is no failure (the body is never needed)', async () => {
    const id = (await connector.send(fake.serviceUrl, CHANNEL, activity)) as string;
    fake.failNext({ method: 'PUT', status: 200, rawBody: '<html>gateway</html>' });
    await connector.update(fake.serviceUrl, CHANNEL, id, { ...activity, text: '受領済み / Acknowledged' });
    await connector.update(fake.serviceUrl, CHANNEL, id, { ...activity, text: '受領済み 2 / Acknowledged 2' });
    expect(fake.activities(CHANNEL).map((a) => a.text)).toEqual(['受領済み 2 / Acknowledged 2']);
  });
});

describe('a refusal', () => {
  it('is a ConnectorHttpError as botbuilder shapes it: status, Teams’ error as text, Retry-After by any case', async () => {
    fake.failNext({ method: 'POST', status: 429, retryAfterSec: 3 });
    const err = await refusal(connector.send(fake.serviceUrl, CHANNEL, activity));
    expect(err.name).toBe('ConnectorHttpError');
    expect(err.message).toBe('Bot Connector answered 429');
    expect(err.statusCode).toBe(429);
    expect(JSON.parse(err.details as string)).toMatchObject({ error: { code: 'Throttled' } });
    expect(err.response.status).toBe(429);
    expect(err.response.bodyAsText).toBe(err.details);
    expect(err.response.headers.get('Retry-After')).toBe('3');
    expect(err.response.headers.get('x-not-sent')).toBeUndefined();
  });

  it('every status outside 2xx is one, 300 and 404 as much as 500', async () => {
    for (const status of [300, 404, 500]) {
      fake.failNext({ method: 'POST', status, rawBody: 'no' });
      expect((await refusal(connector.send(fake.serviceUrl, CHANNEL, activity))).statusCode).toBe(status);
    }
    const id = (await connector.send(fake.serviceUrl, CHANNEL, activity)) as string;
    fake.failNext({ method: 'PUT', status: 404 });
    expect((await refusal(connector.update(fake.serviceUrl, CHANNEL, id, activity))).statusCode).toBe(404);
  });
});
