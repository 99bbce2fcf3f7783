import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { chunk } from '../chunk';
import type { Sleep } from '../sleep';

/** Tries per batch, the first included, before unprocessed requests count as failed. */
export const MAX_BATCH_ATTEMPTS = 5;
/** BatchWriteItem takes 25 requests. */
const WRITE_BATCH = 25;

/** Jittered exponential back-off before a retry; nothing before the first attempt. */
export function backOff(sleep: Sleep, attempt: number): Promise<void> {
  return attempt > 0 ? sleep(Math.random() * 50 * 2 ** attempt) : Promise.resolve();
}

/**
 * BatchWriteItem in batches of 25, resending what DynamoDB left unprocessed. A batch that still has
 * unprocessed requests after the last attempt stops the write with the error `giveUp` makes.
 */
export async function batchWriteAll(
  doc: DynamoDBDocumentClient,
  tableName: string,
  requests: readonly Record<string, unknown>[],
  options: { sleep: Sleep; giveUp: (remaining: number) => Error },
): Promise<void> {
  for (const batch of chunk(requests, WRITE_BATCH)) {
    let pending = batch;
    for (let attempt = 0; attempt < MAX_BATCH_ATTEMPTS && pending.length > 0; attempt += 1) {
      await backOff(options.sleep, attempt);
      const result = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined) ?? [];
    }
    if (pending.length > 0) throw options.giveUp(pending.length);
  }
}
