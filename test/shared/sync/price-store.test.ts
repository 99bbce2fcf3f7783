import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Wallet } from '../../../shared/kernel/types';
import type { StoredHolding } from '../../../shared/sync/holdings-store';
import {
  createPriceStore,
  priceHoldings,
  pricedSlotOf,
  slotPriceKey,
  UnprocessedWritesError,
  type PriceStore,
  type SlotPriceRef,
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

const wallet = (walletId: string, extra: Partial<Wallet> = {}): Wallet => ({
  userId: 'u1',
  walletId,
  address: `0x${walletId}`,
  family: 'evm',
  chains: ['1'],
  addedAt: '2036-11-01T00:00:00.000Z',
  ...extra,
});

const holding = (walletId: string, tokenAddress: string, extra: Partial<StoredHolding> = {}): StoredHolding => ({
  userId: 'u1',
  walletId,
  walletAddress: `0x${walletId}`,
  chainIndex: '1',
  tokenAddress,
  symbol: 'TKN',
  balance: '2',
  isRiskToken: false,
  assetId: `1:${tokenAddress}`,
  sector: 'other',
  ...extra,
});

/** A price store holding these slot prices; records every batch of refs asked for. */
function fakePrices(recorded: [SlotPriceRef, string][]) {
  const asked: SlotPriceRef[][] = [];
  return {
    asked,
    async getPrices(refs: readonly SlotPriceRef[]) {
      asked.push([...refs]);
      const all = new Map(recorded.map(([ref, price]) => [slotPriceKey(ref), price]));
      return new Map(
        refs.flatMap((ref) =>
          all.has(slotPriceKey(ref)) ? [[slotPriceKey(ref), all.get(slotPriceKey(ref))!] as const] : [],
        ),
      );
    },
  };
}

describe('holding prices', () => {
  it('names the slot of the last sync, or the later slot a sync priced the wallet in without marking it', () => {
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:03:20.000Z' })).toBe('2036-11-24T10:00:00.000Z');
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:03:20.000Z', pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe(
      '2036-11-24T10:20:00.000Z',
    );
    expect(pricedSlotOf({ lastSyncedAt: '2036-11-24T10:33:20.000Z', pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe(
      '2036-11-24T10:30:00.000Z',
    );
    expect(pricedSlotOf({ pricedSlot: '2036-11-24T10:20:00.000Z' })).toBe('2036-11-24T10:20:00.000Z');
    expect(pricedSlotOf({})).toBeUndefined();
  });

  it('values fresh holdings at their wallet slot price in one read, keeps a stale one at its own price, and leaves the rest unpriced', async () => {
    const prices = fakePrices([
      [{ chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:00:00.000Z' }, '3.25'],
      [{ chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:10:00.000Z' }, '9'],
    ]);
    const wallets = [wallet('w1', { lastSyncedAt: '2036-11-24T10:01:00.000Z' }), wallet('w2')];
    const holdings = [
      // A legacy item's own price on a fresh holding is not believed: the slot price is.
      holding('w1', '0xa', { priceUsd: '1' }),
      holding('w1', '0xb'),
      holding('w1', '0xc', { staleSince: '2036-11-24T09:50:00.000Z', priceUsd: '7.5' }),
      holding('w2', '0xa'),
      holding('gone', '0xa'),
    ];

    const priced = await priceHoldings(prices, holdings, wallets);

    expect(priced.map((item) => item.priceUsd)).toEqual(['3.25', undefined, '7.5', undefined, undefined]);
    expect(prices.asked).toEqual([
      [
        { chainIndex: '1', tokenAddress: '0xa', slot: '2036-11-24T10:00:00.000Z' },
        { chainIndex: '1', tokenAddress: '0xb', slot: '2036-11-24T10:00:00.000Z' },
      ],
    ]);
  });

  it('reads nothing when every holding is stale', async () => {
    const prices = fakePrices([]);

    const priced = await priceHoldings(
      prices,
      [holding('w1', '0xa', { staleSince: '2036-11-24T09:50:00.000Z', priceUsd: '2' })],
      [wallet('w1', { lastSyncedAt: '2036-11-24T10:01:00.000Z' })],
    );

    expect(priced[0]?.priceUsd).toBe('2');
    expect(prices.asked).toEqual([]);
  });
});
