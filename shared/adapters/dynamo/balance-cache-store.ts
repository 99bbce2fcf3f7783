import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenBalance } from '../../domain/ports/market-data-port';
import { keys, ttlAfter } from './keys';

export interface CachedBalances {
  readonly chains: readonly string[];
  readonly balances: readonly TokenBalance[];
}

/**
 * Balances of one address for one sync slot, so an address tracked by several users costs one OKX
 * call per cycle. Only complete answers are cached; items expire after a day.
 */
export interface BalanceCacheStore {
  get(address: string, slot: string): Promise<CachedBalances | undefined>;
  put(address: string, slot: string, value: CachedBalances): Promise<void>;
}

const CACHE_SECONDS = 86_400;

export function createBalanceCacheStore(doc: DynamoDBDocumentClient, tableName: string): BalanceCacheStore {
  return {
    async get(address, slot) {
      const result = await doc.send(new GetCommand({ TableName: tableName, Key: keys.balanceCache(address, slot) }));
      if (!result.Item) return undefined;
      return { chains: result.Item.chains as string[], balances: JSON.parse(result.Item.balances as string) as TokenBalance[] };
    },
    async put(address, slot, value) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...keys.balanceCache(address, slot),
            entity: 'balance-cache',
            chains: [...value.chains],
            // One string attribute keeps decimal strings exact and the item small.
            balances: JSON.stringify(value.balances),
            createdAt: slot,
            updatedAt: slot,
            ttl: ttlAfter(Date.parse(slot), CACHE_SECONDS),
          },
        }),
      );
    },
  };
}
