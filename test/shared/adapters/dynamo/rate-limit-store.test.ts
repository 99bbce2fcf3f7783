import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRateLimitStore } from '../../../../shared/adapters/dynamo/rate-limit-store';
import { createTestDynamo, type TestDynamo } from '../../../support/dynamo';

let db: TestDynamo;

beforeAll(async () => {
  db = await createTestDynamo();
});

describe('rate limit store (DynamoDB Local)', () => {
  it('allows one refresh per cooldown per user, says how long to wait, then allows again', async () => {
    const clock = { ms: Date.now() };
    const store = createRateLimitStore(db.doc, db.tables.sessions, () => new Date(clock.ms));

    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: true });
    clock.ms += 15_500;
    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: false, retryAfterSeconds: 45 });
    expect(await store.tryAcquire('8', 'refresh', 60)).toEqual({ allowed: true });
    expect(await store.tryAcquire('7', 'other', 60)).toEqual({ allowed: true });
    clock.ms += 45_000;
    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: true });
  });

  it('lets exactly one of many concurrent taps through', async () => {
    const store = createRateLimitStore(db.doc, db.tables.sessions);

    const results = await Promise.all(Array.from({ length: 8 }, () => store.tryAcquire('9', 'refresh', 60)));

    expect(results.filter((result) => result.allowed)).toHaveLength(1);
  });

  it('falls back to the whole cooldown when the old item is not returned, and passes other errors through', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock.onAnyCommand().rejectsOnce(Object.assign(new Error('condition'), { name: 'ConditionalCheckFailedException' })).rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    const store = createRateLimitStore(doc, 'table');

    expect(await store.tryAcquire('7', 'refresh', 60)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    await expect(store.tryAcquire('7', 'refresh', 60)).rejects.toThrow('throttled');
    mock.restore();
  });
});
