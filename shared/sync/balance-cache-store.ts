import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenBalance } from '../platform/okx/market-data-port';
import { batchGetAll, batchWriteAll } from '../platform/dynamo/dynamo-ops';
import { sleep as realSleep, type Sleep } from '../platform/helpers';
import { keys, ttlAfter } from '../platform/dynamo/keys';

export interface CachedBalances {
  readonly chains: readonly string[];
  readonly balances: readonly TokenBalance[];
  /** When OKX answered (ISO): what "as of" shows for data served from the cache. Absent on old items. */
  readonly fetchedAt?: string;
}

/**
 * Balances of one address for one sync slot, so an address tracked by several users costs one OKX
 * call per cycle. Only complete answers are cached; items expire after a day. An entry is paged
 * (`BALANCES_PER_PAGE` tokens per item, about 55 KB), so no item grows with the token count of an
 * airdrop-spammed address; an entry with a page missing is a cache miss.
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
/** Tokens per cache item: ~270 bytes each as JSON, so a page stays near 55 KB, far below DynamoDB's 400 KB. */
export const BALANCES_PER_PAGE = 200;
const ADDRESS_FROM_PK = keys.balanceCache('', '').pk.length;

export function createBalanceCacheStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  sleep: Sleep = realSleep,
): BalanceCacheStore {
  // A key DynamoDB kept declining to read is a cache miss: it costs one OKX call, not the sync.
  const readAll = (keysWanted: Record<string, unknown>[]) => batchGetAll(doc, tableName, keysWanted, sleep);

  const getMany = async (addresses: readonly string[], slot: string) => {
    const heads = await readAll([...new Set(addresses)].map((address) => keys.balanceCache(address, slot)));
    const pageKeys = heads.flatMap((head) => {
      const address = (head.pk as string).slice(ADDRESS_FROM_PK);
      return Array.from({ length: pageCount(head) - 1 }, (_, i) => keys.balanceCachePage(address, slot, i + 1));
    });
    const pages = new Map((await readAll(pageKeys)).map((item) => [`${item.pk as string}|${item.sk as string}`, item]));
    const found = new Map<string, CachedBalances>();
    for (const head of heads) {
      const address = (head.pk as string).slice(ADDRESS_FROM_PK);
      const rest = Array.from({ length: pageCount(head) - 1 }, (_, i) => {
        const key = keys.balanceCachePage(address, slot, i + 1);
        return pages.get(`${key.pk}|${key.sk}`);
      });
      if (rest.some((page) => page === undefined)) continue; // a page not (yet) written: a miss, never a partial answer
      found.set(address, fromItems(head, rest as Record<string, unknown>[]));
    }
    return found;
  };

  return {
    async get(address, slot) {
      return (await getMany([address], slot)).get(address);
    },
    async put(address, slot, value) {
      await batchWriteAll(
        doc,
        tableName,
        toItems(address, slot, value).map((Item) => ({ PutRequest: { Item } })),
        { sleep, giveUp: (remaining) => new UnprocessedCacheWritesError(remaining) },
      );
    },
    getMany,
    async putMany(slot, entries) {
      const requests = [...entries].flatMap(([address, value]) =>
        toItems(address, slot, value).map((Item) => ({ PutRequest: { Item } })),
      );
      await batchWriteAll(doc, tableName, requests, {
        sleep,
        giveUp: (remaining) => new UnprocessedCacheWritesError(remaining),
      });
    },
  };
}

function pageCount(head: Record<string, unknown>): number {
  return typeof head.pages === 'number' ? head.pages : 1;
}

function toItems(address: string, slot: string, value: CachedBalances): Record<string, unknown>[] {
  const pages = Math.max(1, Math.ceil(value.balances.length / BALANCES_PER_PAGE));
  const common = {
    createdAt: slot,
    updatedAt: value.fetchedAt ?? slot,
    ttl: ttlAfter(Date.parse(slot), CACHE_SECONDS),
  };
  // One string attribute per page keeps decimal strings exact and the item small.
  const page = (n: number) => JSON.stringify(value.balances.slice(n * BALANCES_PER_PAGE, (n + 1) * BALANCES_PER_PAGE));
  const head = {
    ...keys.balanceCache(address, slot),
    entity: 'balance-cache',
    chains: [...value.chains],
    balances: page(0),
    pages,
    ...(value.fetchedAt ? { fetchedAt: value.fetchedAt } : {}),
    ...common,
  };
  return [
    head,
    ...Array.from({ length: pages - 1 }, (_, i) => ({
      ...keys.balanceCachePage(address, slot, i + 1),
      entity: 'balance-cache-page',
      balances: page(i + 1),
      ...common,
    })),
  ];
}

function fromItems(head: Record<string, unknown>, rest: readonly Record<string, unknown>[]): CachedBalances {
  const fetchedAt = typeof head.fetchedAt === 'string' ? { fetchedAt: head.fetchedAt } : {};
  const balances = [head, ...rest].flatMap((item) => JSON.parse(item.balances as string) as TokenBalance[]);
  return { chains: head.chains as string[], balances, ...fetchedAt };
}
