import { BatchGetCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenBalance } from '../../domain/ports/market-data-port';
import { backOff, batchWriteAll, MAX_BATCH_ATTEMPTS, realSleep, type Sleep } from './batch-write';
import { keys, ttlAfter } from './keys';

export interface CachedBalances {
  readonly chains: readonly string[];
  readonly balances: readonly TokenBalance[];
  /** When OKX answered (ISO): what "as of" shows for data served from the cache. Absent on old items. */
  readonly fetchedAt?: string;
}

/**
 * Balances of one address for one sync slot, so an address tracked by several users costs one OKX
 * call per cycle. Only complete answers are cached; items expire after a day.
 */
export interface BalanceCacheStore {
  get(address: string, slot: string): Promise<CachedBalances | undefined>;
  put(address: string, slot: string, value: CachedBalances): Promise<void>;
  /** One batched read for several addresses; an address without an entry is absent from the map. */
  getMany(addresses: readonly string[], slot: string): Promise<Map<string, CachedBalances>>;
  /** One batched write for several addresses. */
  putMany(slot: string, entries: ReadonlyMap<string, CachedBalances>): Promise<void>;
}

export class UnprocessedCacheWritesError extends Error {
  constructor(readonly remaining: number) {
    super(`${remaining} balance-cache writes were still unprocessed after retries`);
    this.name = 'UnprocessedCacheWritesError';
  }
}

const CACHE_SECONDS = 86_400;
/** BatchGetItem takes 100 keys. */
const GET_BATCH = 100;
const ADDRESS_FROM_PK = keys.balanceCache('', '').pk.length;

export function createBalanceCacheStore(doc: DynamoDBDocumentClient, tableName: string, sleep: Sleep = realSleep): BalanceCacheStore {
  const readBatch = async (requested: Record<string, unknown>[], into: Record<string, unknown>[]) => {
    let pending = requested;
    for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS && pending.length > 0; attempt += 1) {
      await backOff(sleep, attempt);
      const result = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
      into.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    // A key DynamoDB kept declining to read is a cache miss: it costs one OKX call, not the sync.
  };

  return {
    async get(address, slot) {
      const result = await doc.send(new GetCommand({ TableName: tableName, Key: keys.balanceCache(address, slot) }));
      return result.Item ? fromItem(result.Item) : undefined;
    },
    async put(address, slot, value) {
      await doc.send(new PutCommand({ TableName: tableName, Item: toItem(address, slot, value) }));
    },
    async getMany(addresses, slot) {
      const wanted = [...new Set(addresses)].map((address) => keys.balanceCache(address, slot));
      const items: Record<string, unknown>[] = [];
      for (let start = 0; start < wanted.length; start += GET_BATCH) await readBatch(wanted.slice(start, start + GET_BATCH), items);
      return new Map(items.map((item) => [(item.pk as string).slice(ADDRESS_FROM_PK), fromItem(item)]));
    },
    async putMany(slot, entries) {
      const requests = [...entries].map(([address, value]) => ({ PutRequest: { Item: toItem(address, slot, value) } }));
      await batchWriteAll(doc, tableName, requests, { sleep, giveUp: (remaining) => new UnprocessedCacheWritesError(remaining) });
    },
  };
}

function toItem(address: string, slot: string, value: CachedBalances): Record<string, unknown> {
  return {
    ...keys.balanceCache(address, slot),
    entity: 'balance-cache',
    chains: [...value.chains],
    // One string attribute keeps decimal strings exact and the item small.
    balances: JSON.stringify(value.balances),
    ...(value.fetchedAt ? { fetchedAt: value.fetchedAt } : {}),
    createdAt: slot,
    updatedAt: value.fetchedAt ?? slot,
    ttl: ttlAfter(Date.parse(slot), CACHE_SECONDS),
  };
}

function fromItem(item: Record<string, unknown>): CachedBalances {
  const fetchedAt = typeof item.fetchedAt === 'string' ? { fetchedAt: item.fetchedAt } : {};
  return { chains: item.chains as string[], balances: JSON.parse(item.balances as string) as TokenBalance[], ...fetchedAt };
}
