import { GetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUpdateStore, UPDATE_CLAIM_TTL_SECONDS } from '../../../functions/telegram-webhook/handler';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

let db: TestDynamo;

beforeAll(async () => {
  db = await createTestDynamo();
});

describe('update store (DynamoDB Local)', () => {
  it('claims an update_id once: the first caller wins, duplicates are refused', async () => {
    const store = createUpdateStore(db.doc, db.tables.sessions);

    const results = await Promise.all([store.claim(501), store.claim(501), store.claim(501)]);

    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await store.claim(502)).toBe(true);
  });

  it('stores the claim with a 48 h TTL and the house attributes', async () => {
    const now = new Date();
    const store = createUpdateStore(db.doc, db.tables.sessions, () => now);

    await store.claim(601);

    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tables.sessions, Key: { pk: 'update#601', sk: 'update' } }),
    );
    expect(Item).toEqual({
      pk: 'update#601',
      sk: 'update',
      entity: 'telegram-update',
      updateId: '601',
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      ttl: Math.floor(now.getTime() / 1000) + UPDATE_CLAIM_TTL_SECONDS,
    });
    expect(UPDATE_CLAIM_TTL_SECONDS).toBe(172_800);
  });

  it('a released claim can be taken again (the redelivery after a 5xx is processed)', async () => {
    const store = createUpdateStore(db.doc, db.tables.sessions);
    await store.claim(701);

    await store.release(701);

    expect(await store.claim(701)).toBe(true);
  });

  it('passes other DynamoDB failures through (the handler answers 500 for them)', async () => {
    const doc = DynamoDBDocumentClient.from(db.doc);
    const mock = mockClient(doc);
    mock
      .onAnyCommand()
      .rejects(Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException' }));

    await expect(createUpdateStore(doc, 'table').claim(1)).rejects.toThrow('slow down');
    mock.restore();
  });
});
