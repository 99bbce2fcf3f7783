import { describe, expect, it } from 'vitest';
import { createBalanceCacheStore } from '../../../../shared/adapters/dynamo/balance-cache-store';
import { createTestDynamo } from '../../../support/dynamo';

describe('balance cache store', () => {
  it('returns the balances cached for an address and slot, exactly as stored, and nothing for another slot', async () => {
    const db = await createTestDynamo();
    const cache = createBalanceCacheStore(db.doc, db.tables.prices);
    const balances = [
      { chainIndex: '1', tokenAddress: '', walletAddress: '0xabc', symbol: 'ETH', balance: '0.000000000000000001', rawBalance: '1', priceUsd: '3000.123456789012345678', isRiskToken: false },
    ];

    await cache.put('0xabc', '2036-11-24T10:00:00.000Z', { chains: ['1', '8453'], balances });

    expect(await cache.get('0xabc', '2036-11-24T10:00:00.000Z')).toEqual({ chains: ['1', '8453'], balances });
    expect(await cache.get('0xabc', '2036-11-24T10:10:00.000Z')).toBeUndefined();
  });
});
