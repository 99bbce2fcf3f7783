import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenRef } from '../kernel/types';
import { batchGetAll } from '../platform/dynamo/batch-get';
import { batchWriteAll } from '../platform/dynamo/batch-write';
import { sleep as realSleep, type Sleep } from '../platform/sleep';
import { keys, ttlAfter } from '../platform/dynamo/keys';
import { queryAll } from '../platform/dynamo/query-all';

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
