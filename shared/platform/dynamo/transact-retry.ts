import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sleep as realSleep, type Sleep } from '../sleep';
import { TransactionConflictError } from './transaction-conflict-error';

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
