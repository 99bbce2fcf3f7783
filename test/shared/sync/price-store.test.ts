import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createPriceStore,
  slotPriceKey,
  UnprocessedWritesError,
  type PriceStore,
} from '../../../shared/sync/price-store';
import { createTestDynamo } from '../../support/dynamo';

let store: PriceStore;

beforeAll(async () => {
  const db = await createTestDynamo();
  store = createPriceStore(db.doc, db.tables.prices);
});

describe('price store', () => {
  it('records each token price of a slot once and reads it back exactly', async () => {
    const prices = Array.from({ length: 30 }, (_, index) => ({
      chainIndex: '1',
      tokenAddress: `0x${index}`,
      priceUsd: `0.${index}00000000000000000001`,
    }));

    const written = await store.putPrices('2036-11-24T10:00:00.000Z', [...prices, prices[0]!], 'sync');

    expect(written).toBe(30);
    expect(
      await store.listPrices(
        { chainIndex: '1', tokenAddress: '0x3' },
        '2036-11-24T00:00:00.000Z',
        '2036-11-25T00:00:00.000Z',
      ),
    ).toEqual([{ slot: '2036-11-24T10:00:00.000Z', priceUsd: '0.300000000000000000001' }]);
  });

  it('reads the prices of several token x slot pairs in batches and leaves out a pair without one', async () => {
    const slot = '2036-11-25T10:00:00.000Z';
    await store.putPrices(
      slot,
      Array.from({ length: 120 }, (_, index) => ({
        chainIndex: '8453',
        tokenAddress: `0x${index}`,
        priceUsd: `${index}.5`,
      })),
      'sync',
    );
    const refs = Array.from({ length: 121 }, (_, index) => ({ chainIndex: '8453', tokenAddress: `0x${index}`, slot }));

    const found = await store.getPrices([
      ...refs,
      refs[0]!,
      { chainIndex: '8453', tokenAddress: '0x1', slot: '2036-11-25T10:10:00.000Z' },
    ]);

    // 121 distinct pairs asked for in two batches (100 + 21); 0x120 and the later slot were never recorded.
    expect(found.size).toBe(120);
    expect(found.get(slotPriceKey({ chainIndex: '8453', tokenAddress: '0x119', slot }))).toBe('119.5');
    expect(found.has(slotPriceKey({ chainIndex: '8453', tokenAddress: '0x1', slot: '2036-11-25T10:10:00.000Z' }))).toBe(
      false,
    );
  });

  it('resends only the unprocessed items and gives up with a named error when they never drain', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(doc);
    const pending = { PutRequest: { Item: { pk: 'x' } } };
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { prices: [pending] } })
      .resolves({ UnprocessedItems: {} });
    const retrying = createPriceStore(doc, 'prices', async () => undefined);

    await retrying.putPrices(
      '2036-11-24T10:00:00.000Z',
      [{ chainIndex: '1', tokenAddress: '', priceUsd: '1' }],
      'sync',
    );
    expect(mock.commandCalls(BatchWriteCommand)[1]?.args[0].input.RequestItems?.prices).toEqual([pending]);

    mock.reset();
    mock.on(BatchWriteCommand).resolves({ UnprocessedItems: { prices: [pending] } });
    await expect(
      retrying.putPrices('2036-11-24T10:00:00.000Z', [{ chainIndex: '1', tokenAddress: '', priceUsd: '1' }], 'sync'),
    ).rejects.toBeInstanceOf(UnprocessedWritesError);
    expect(mock.commandCalls(BatchWriteCommand)).toHaveLength(5);
  });
});
