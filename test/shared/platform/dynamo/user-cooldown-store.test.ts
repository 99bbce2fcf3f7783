import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUserCooldownStore } from '../../../../shared/platform/dynamo/user-cooldown-store';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

let db: TestDynamo;

beforeAll(async () => {
  db = await createTestDynamo();
});

describe('rate limit store (DynamoDB Local)', () => {
  it('allows one refresh per cooldown per user, says how long to wait, then allows again', async () => {
    const clock = { ms: Date.now() };
    const store = createUserCooldownStore(db.doc, db.tables.sessions, () => new Date(clock.ms));

    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: true });
    clock.ms += 15_500;
    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await store.tryAcquire('8', 'refresh', 60)).toEqual({ allowed: true });
    expect(await store.tryAcquire('7', 'other', 60)).toEqual({ allowed: true });
    clock.ms += 45_000;
    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: true });
  });

  it('lets exactly one of many concurrent taps through', async () => {
    const store = createUserCooldownStore(db.doc, db.tables.sessions);

    const results = await Promise.all(Array.from({ length: 8 }, () => store.tryAcquire('9', 'refresh', 60)));

    expect(results.filter((result) => result.allowed)).toHaveLength(1);
  });

  it('falls back to the whole cooldown when the old item is not returned, and passes other errors through', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock
      .onAnyCommand()
      .rejectsOnce(Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' }))
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const store = createUserCooldownStore(doc, 'table');

    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    await expect(store.tryAcquire('7', 'refresh', 60)).rejects.toThrow('throttled');
    mock.restore();
  });
});

describe('per-user budget windows (DynamoDB Local, issue 10 §4)', () => {
  // 2036-11-24T10:01:15.250Z: 15.25 s into a 60 s window (window starts at the minute, 10:01:00).
  const AT = Date.parse('2036-11-24T10:01:15.250Z');
  const budget = { limit: 2, windowSeconds: 60 };

  it('lets exactly `limit` of 15 parallel uses through, tells the rest when the window ends, and leaves other users alone', async () => {
    const clock = { ms: AT };
    const store = createUserCooldownStore(db.doc, db.tables.sessions, () => new Date(clock.ms));
    const user = `u${Date.now()}`;

    const results = await Promise.all(
      Array.from({ length: 15 }, () => store.tryConsume(user, 'okx-rebalance', budget)),
    );

    expect(results.filter((result) => result.allowed)).toHaveLength(2);
    // Window 10:01:00-10:02:00; at 10:01:15.25 it ends in 44.75 s -> rounded up to 45 s.
    expect(results.filter((result) => !result.allowed)).toEqual(
      Array.from({ length: 13 }, () => ({ allowed: false, retryAfterSeconds: 45 })),
    );
    expect(await store.tryConsume(`${user}-other`, 'okx-rebalance', budget)).toEqual({ allowed: true });
    expect(await store.tryConsume(user, 'okx-confirm', budget)).toEqual({ allowed: true });
    // 10:02:00.000: a new window, a fresh allowance.
    clock.ms = Date.parse('2036-11-24T10:02:00.000Z');
    expect(await store.tryConsume(user, 'okx-rebalance', budget)).toEqual({ allowed: true });
  });

  it('passes errors other than a spent budget through', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock.onAnyCommand().rejects(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));

    await expect(createUserCooldownStore(doc, 'table').tryConsume('7', 'okx-rebalance', budget)).rejects.toThrow(
      'throttled',
    );
    mock.restore();
  });
});
