import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TokenRef } from '../../domain/types';
import { keys, ttlAfter } from './keys';

export interface PricePoint extends TokenRef {
  readonly priceUsd: string;
}

export interface PriceStore {
  /** Records the prices a sync slot used; returns the number of items written. */
  putPrices(slot: string, prices: readonly PricePoint[], source: 'sync' | 'candle'): Promise<number>;
  listPrices(token: TokenRef, from: string, to: string): Promise<{ slot: string; priceUsd: string }[]>;
}

export class UnprocessedWritesError extends Error {
  constructor(readonly remaining: number) {
    super(`${remaining} price writes were still unprocessed after retries`);
    this.name = 'UnprocessedWritesError';
  }
}

const BATCH_SIZE = 25;
const MAX_ATTEMPTS = 5;
const PRICE_RETENTION_SECONDS = 400 * 86_400;

export function createPriceStore(doc: DynamoDBDocumentClient, tableName: string, sleep = defaultSleep): PriceStore {
  const writeBatch = async (requests: Record<string, unknown>[]) => {
    let pending = requests;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt += 1) {
      if (attempt > 0) await sleep(Math.random() * 50 * 2 ** attempt);
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined) ?? [];
    }
    if (pending.length > 0) throw new UnprocessedWritesError(pending.length);
  };

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
      for (let start = 0; start < requests.length; start += BATCH_SIZE) await writeBatch(requests.slice(start, start + BATCH_SIZE));
      return requests.length;
    },
    async listPrices(token, from, to) {
      const key = keys.price(token.chainIndex, token.tokenAddress, from);
      const result = await doc.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': key.pk, ':from': `slot#${from}`, ':to': `slot#${to}` },
        }),
      );
      return (result.Items ?? []).map((item) => ({ slot: item.slot as string, priceUsd: item.priceUsd as string }));
    },
  };
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}
