import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { BALANCES_PER_PAGE, createBalanceCacheStore } from '../../../shared/sync/price-store';
import { keys } from '../../../shared/platform/dynamo/keys';
import { createTestDynamo } from '../../support/dynamo';

const SLOT = '2036-11-24T10:00:00.000Z';
const eth = (walletAddress: string, balance: string) => ({
  chainIndex: '1',
  tokenAddress: '',
  walletAddress,
  symbol: 'ETH',
  balance,
  rawBalance: '1',
  priceUsd: '3000.123456789012345678',
  isRiskToken: false,
});

describe('balance cache store', () => {
  it('returns the balances cached for an address and slot, exactly as stored, and nothing for another slot', async () => {
    const db = await createTestDynamo();
    const cache = createBalanceCacheStore(db.doc, db.tables.prices);
    const balances = [eth('0xabc', '0.000000000000000001')];

    await cache.put('0xabc', SLOT, { chains: ['1', '8453'], balances });

    expect(await cache.get('0xabc', SLOT)).toEqual({ chains: ['1', '8453'], balances });
    expect(await cache.get('0xabc', '2036-11-24T10:10:00.000Z')).toBeUndefined();
  });

  it('pages a large entry over several items, reads it back whole, and treats an entry with a page missing as a miss', async () => {
    const db = await createTestDynamo();
    const cache = createBalanceCacheStore(db.doc, db.tables.prices);
    // 2.5 pages: 200 + 200 + 100 balances -> 3 items.
    const balances = Array.from({ length: BALANCES_PER_PAGE * 2.5 }, (_, i) => ({
      ...eth('0xbig', `${i + 1}`),
      tokenAddress: `0x${i.toString(16).padStart(40, '0')}`,
    }));

    await cache.putMany(SLOT, new Map([['0xbig', { chains: ['1'], balances }]]));

    expect(await cache.get('0xbig', SLOT)).toEqual({ chains: ['1'], balances });
    await db.doc.send(new DeleteCommand({ TableName: db.tables.prices, Key: keys.balanceCachePage('0xbig', SLOT, 2) }));
    expect(await cache.get('0xbig', SLOT)).toBeUndefined();
    expect((await cache.getMany(['0xbig'], SLOT)).size).toBe(0);
  });

  it('writes and reads many addresses in batches, leaving the uncached ones out', async () => {
    const db = await createTestDynamo();
    const cache = createBalanceCacheStore(db.doc, db.tables.prices);
    const addresses = Array.from({ length: 30 }, (_, index) => `0x${index.toString(16).padStart(40, '0')}`);

    await cache.putMany(
      SLOT,
      new Map(addresses.map((address, index) => [address, { chains: ['1'], balances: [eth(address, `${index}.5`)] }])),
    );
    const found = await cache.getMany([...addresses, '0xnotcached', addresses[0]!], SLOT);

    expect(found.size).toBe(30);
    expect(found.get(addresses[7]!)).toEqual({ chains: ['1'], balances: [eth(addresses[7]!, '7.5')] });
    expect(found.has('0xnotcached')).toBe(false);
    expect(await cache.get(addresses[29]!, SLOT)).toEqual(found.get(addresses[29]!));
  });

  it('asks again for keys DynamoDB left unprocessed and treats keys it keeps declining as misses', async () => {
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
    const mock = mockClient(doc);
    const key = { pk: 'balances#0xabc', sk: `slot#${SLOT}` };
    const item = { ...key, chains: ['1'], balances: JSON.stringify([eth('0xabc', '1')]) };
    mock
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { prices: [] }, UnprocessedKeys: { prices: { Keys: [key] } } })
      .resolves({ Responses: { prices: [item] } });
    const cache = createBalanceCacheStore(doc, 'prices', async () => undefined);

    expect((await cache.getMany(['0xabc'], SLOT)).get('0xabc')).toEqual({
      chains: ['1'],
      balances: [eth('0xabc', '1')],
    });
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(2);

    mock.reset();
    mock.on(BatchGetCommand).resolves({ Responses: { prices: [] }, UnprocessedKeys: { prices: { Keys: [key] } } });
    expect((await cache.getMany(['0xabc'], SLOT)).size).toBe(0);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(5);
  });
});
