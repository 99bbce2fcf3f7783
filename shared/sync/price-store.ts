import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenRef, Wallet } from '../kernel/types';
import { slotOf } from '../kernel/slots';
import type { StoredHolding } from './holdings-store';
import { batchGetAll, queryAll, batchWriteAll } from '../platform/dynamo/dynamo-ops';
import { sleep as realSleep, type Sleep } from '../platform/helpers';
import { keys, ttlAfter } from '../platform/dynamo/keys';
import type { TokenBalance } from '../platform/okx/market-data-port';

// The prices table: the slot prices every user shares (with the container's memo of those written, and
// `priceHoldings`), and the short-lived per-address balance cache.

export interface PricePoint extends TokenRef {
  readonly priceUsd: string;
}

/** A token's price in one sync slot. */
export interface SlotPriceRef extends TokenRef {
  readonly slot: string;
}

export interface PriceStore {
  /** Records the prices a sync slot used; returns the number of items written. */
  putPrices(slot: string, prices: readonly PricePoint[], source: 'sync' | 'candle'): Promise<number>;
  listPrices(token: TokenRef, from: string, to: string): Promise<{ slot: string; priceUsd: string }[]>;
  /** The recorded prices of these token x slot pairs (batched reads), by `slotPriceKey`; a pair without a price is absent. */
  getPrices(refs: readonly SlotPriceRef[]): Promise<Map<string, string>>;
}

export function slotPriceKey(ref: SlotPriceRef): string {
  return `${ref.slot}|${ref.chainIndex}#${ref.tokenAddress}`;
}

export class UnprocessedWritesError extends Error {
  constructor(readonly remaining: number) {
    super(`${remaining} price writes were still unprocessed after retries`);
    this.name = 'UnprocessedWritesError';
  }
}

const PRICE_RETENTION_SECONDS = 400 * 86_400;

export function createPriceStore(doc: DynamoDBDocumentClient, tableName: string, sleep: Sleep = realSleep): PriceStore {
  return {
    async putPrices(slot, prices, source) {
      const unique = new Map(prices.map((price) => [`${price.chainIndex}#${price.tokenAddress}`, price]));
      const requests = [...unique.values()].map((price) => ({
        PutRequest: {
          Item: {
            ...keys.price(price.chainIndex, price.tokenAddress, slot),
            entity: 'price',
            chainIndex: price.chainIndex,
            tokenAddress: price.tokenAddress,
            slot,
            priceUsd: price.priceUsd,
            source,
            createdAt: slot,
            updatedAt: slot,
            ttl: ttlAfter(Date.parse(slot), PRICE_RETENTION_SECONDS),
          },
        },
      }));
      await batchWriteAll(doc, tableName, requests, {
        sleep,
        giveUp: (remaining) => new UnprocessedWritesError(remaining),
      });
      return requests.length;
    },
    async listPrices(token, from, to) {
      const first = keys.price(token.chainIndex, token.tokenAddress, from);
      const items = await queryAll(doc, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': first.pk,
          ':from': first.sk,
          ':to': keys.price(token.chainIndex, token.tokenAddress, to).sk,
        },
      });
      return items.map((item) => ({ slot: item.slot as string, priceUsd: item.priceUsd as string }));
    },
    async getPrices(refs) {
      const unique = new Map(refs.map((ref) => [slotPriceKey(ref), ref]));
      const items = await batchGetAll(
        doc,
        tableName,
        [...unique.values()].map((ref) => keys.price(ref.chainIndex, ref.tokenAddress, ref.slot)),
        sleep,
      );
      const found = new Map<string, string>();
      for (const item of items) {
        if (typeof item.priceUsd === 'string')
          found.set(
            slotPriceKey({
              chainIndex: item.chainIndex as string,
              tokenAddress: item.tokenAddress as string,
              slot: item.slot as string,
            }),
            item.priceUsd,
          );
      }
      return found;
    },
  };
}

/**
 * Prices already written per slot by this container: most users hold the same popular tokens, so a
 * token's slot price is written once per container rather than once per user. A price that differs from
 * the one written (a Refresh after the market moved) is written again: holdings are valued at the
 * recorded slot price. Only the two newest slots are remembered.
 */
export function createPriceMemo() {
  const written = new Map<string, Map<string, string>>();
  const keyOf = (price: PricePoint) => `${price.chainIndex}#${price.tokenAddress}`;
  return {
    unwritten: (slot: string, prices: readonly PricePoint[]) =>
      prices.filter((price) => written.get(slot)?.get(keyOf(price)) !== price.priceUsd),
    record(slot: string, prices: readonly PricePoint[]) {
      const seen = written.get(slot) ?? new Map<string, string>();
      for (const price of prices) seen.set(keyOf(price), price.priceUsd);
      written.set(slot, seen);
      for (const old of [...written.keys()].sort().slice(0, -2)) written.delete(old);
    },
  };
}

export type PriceMemo = ReturnType<typeof createPriceMemo>;

/**
 * The slot whose recorded prices value a wallet's fresh holdings: the slot of the sync that last wrote
 * them. A sync that marks the wallet synced moves `lastSyncedAt` into it; one that replaced its holdings
 * without marking it (a valued chain failed elsewhere, an empty answer awaits confirmation) sets `pricedSlot`.
 */
export function pricedSlotOf(wallet: Pick<Wallet, 'lastSyncedAt' | 'pricedSlot'>): string | undefined {
  const synced = wallet.lastSyncedAt === undefined ? undefined : slotOf(new Date(wallet.lastSyncedAt));
  if (synced === undefined || wallet.pricedSlot === undefined) return synced ?? wallet.pricedSlot;
  return wallet.pricedSlot > synced ? wallet.pricedSlot : synced;
}

/**
 * Gives each holding its USD price. A holding item carries no price (so a price move rewrites nothing):
 * a fresh holding is valued at its token's price recorded for its wallet's priced slot (one item per token
 * and slot, shared by every user; one batched read), a stale one at the price it kept when its chain failed.
 * A holding without a recorded price stays unpriced, as OKX left it.
 */
export async function priceHoldings(
  prices: Pick<PriceStore, 'getPrices'>,
  holdings: readonly StoredHolding[],
  wallets: readonly Wallet[],
): Promise<StoredHolding[]> {
  const slots = new Map(wallets.map((wallet) => [wallet.walletId, pricedSlotOf(wallet)]));
  const refOf = (holding: StoredHolding) => {
    const slot = holding.staleSince === undefined ? slots.get(holding.walletId) : undefined;
    return slot === undefined
      ? undefined
      : { chainIndex: holding.chainIndex, tokenAddress: holding.tokenAddress, slot };
  };
  const refs = holdings.flatMap((holding) => refOf(holding) ?? []);
  const recorded = refs.length > 0 ? await prices.getPrices(refs) : new Map<string, string>();
  return holdings.map((holding) => {
    if (holding.staleSince !== undefined) return holding;
    const ref = refOf(holding);
    const { priceUsd: _ignored, ...unpriced } = holding;
    const priceUsd = ref === undefined ? undefined : recorded.get(slotPriceKey(ref));
    return priceUsd === undefined ? unpriced : { ...unpriced, priceUsd };
  });
}

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
