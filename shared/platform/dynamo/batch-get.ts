import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../chunk';
import type { Sleep } from '../sleep';
import { backOff, MAX_BATCH_ATTEMPTS } from './batch-write';

/** BatchGetItem takes 100 keys. */
const GET_BATCH = 100;

/**
 * BatchGetItem in batches of 100 keys, asking again for what DynamoDB left unprocessed. A key still
 * unprocessed after the last attempt is left out of the answer, like an item that does not exist: callers
 * read only what they can do without (a cache entry, a recorded price).
 */
export async function batchGetAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Record<string, unknown>[],
  sleep: Sleep,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (const batch of chunk(keys, GET_BATCH)) {
    let pending = batch;
    for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS && pending.length > 0; attempt += 1) {
      await backOff(sleep, attempt);
      const result = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }));
      items.push(...(result.Responses?.[tableName] ?? []));
      pending = (result.UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
  }
  return items;
}
