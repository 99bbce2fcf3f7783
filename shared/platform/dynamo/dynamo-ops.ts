import {
  QueryCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
  BatchGetCommand,
  BatchWriteCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { chunk, type Sleep, sleep as realSleep } from '../helpers';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

// The DynamoDB request helpers every store shares: condition failures, paginated queries, batched reads and
// writes (unprocessed items retried), and transactions retried on conflict.

/** DynamoDB refused a write because its condition did not hold: an expected outcome, not a fault. */
export function isConditionFailure(error: unknown): boolean {
  return (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException';
}

/** For `.catch(ignoreConditionFailure)`: a failed condition means "nothing to do"; anything else is rethrown. */
export function ignoreConditionFailure(error: unknown): undefined {
  if (isConditionFailure(error)) return undefined;
  throw error;
}

/** A transaction that met a `TransactionConflict` on every attempt: nothing of it was written. */
export class TransactionConflictError extends Error {
  constructor(readonly attempts: number) {
    super(`the transaction met a TransactionConflict on all ${attempts} attempts`);
    this.name = 'TransactionConflictError';
  }
}

/** Runs a query to the end, following LastEvaluatedKey page by page. */
export async function queryAll(
  doc: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

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

/** Tries per batch, the first included, before unprocessed requests count as failed. */
export const MAX_BATCH_ATTEMPTS = 5;
/** BatchWriteItem takes 25 requests. */
const WRITE_BATCH = 25;

/** Jittered exponential back-off before a retry; nothing before the first attempt. */
function backOff(sleep: Sleep, attempt: number): Promise<void> {
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

export type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;

/** Which item's condition refused the transaction, or `conflict` when another transaction held an item. */
export type TransactRefusal = { readonly kind: 'condition'; readonly index: number } | { readonly kind: 'conflict' };

export interface TransactRetryOptions {
  /** @default 8 */
  readonly attempts?: number;
  /** Full-jitter back-off: a random wait in [0, min(capMs, baseMs x 2^attempt)). @default 25 */
  readonly baseMs?: number;
  /** @default 400 */
  readonly capMs?: number;
  readonly random?: () => number;
  readonly sleep?: Sleep;
}

/**
 * Runs a transaction; a `TransactionConflict` (another transaction on the same items) is retried with
 * full-jitter back-off, because the items' conditions are re-checked on every attempt. A condition that
 * fails is returned as `{ kind: 'condition', index }` (the first refusing item), and conflicts that
 * outlast every attempt as `{ kind: 'conflict' }`; `undefined` means written.
 */
export async function transactWithRetry(
  doc: DynamoDBDocumentClient,
  build: () => TransactItems,
  options: TransactRetryOptions = {},
): Promise<TransactRefusal | undefined> {
  const outcome = await runTransaction(doc, build, options);
  if (outcome === undefined) return undefined;
  if (outcome === 'conflict') return { kind: 'conflict' };
  return { kind: 'condition', index: outcome[0]! };
}

/** An item of a transaction whose condition may refuse it without stopping the others. */
export interface OptionalTransactItem {
  readonly item: TransactItems[number];
  /** Left out too when the item at this index is refused (e.g. a rollup of a point that was not new). */
  readonly dependsOn?: number;
}

/**
 * Writes the items in one transaction; an item whose condition refuses it is left out, with the items
 * that depend on it, and the rest is written again (one more round trip per refusal, never more items).
 * Conflicts are retried as by `transactWithRetry`; conflicts on every attempt throw `TransactionConflictError`.
 * Returns the indexes of the items left out.
 */
export async function transactDroppingRefused(
  doc: DynamoDBDocumentClient,
  items: readonly OptionalTransactItem[],
  options: TransactRetryOptions = {},
): Promise<Set<number>> {
  const dropped = new Set<number>();
  const drop = (index: number) => {
    dropped.add(index);
    items.forEach((entry, other) => entry.dependsOn === index && !dropped.has(other) && drop(other));
  };
  for (;;) {
    const live = items.map((_, index) => index).filter((index) => !dropped.has(index));
    if (live.length === 0) return dropped;
    const outcome = await runTransaction(doc, () => live.map((index) => items[index]!.item), options);
    if (outcome === undefined) return dropped;
    if (outcome === 'conflict') throw new TransactionConflictError(options.attempts ?? 8);
    for (const position of outcome) drop(live[position]!);
  }
}

/** Undefined when written; the positions of the refusing items; or `conflict` after the last attempt. */
async function runTransaction(
  doc: DynamoDBDocumentClient,
  build: () => TransactItems,
  options: TransactRetryOptions,
): Promise<number[] | 'conflict' | undefined> {
  const attempts = options.attempts ?? 8;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: build() }));
      return undefined;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const refused = reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
      if (refused.length > 0) return refused;
      if (attempt + 1 >= attempts) return 'conflict';
      await sleep(Math.floor(random() * Math.min(options.capMs ?? 400, (options.baseMs ?? 25) * 2 ** attempt)));
    }
  }
}
