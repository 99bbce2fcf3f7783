import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sleep as realSleep, type Sleep } from '../sleep';

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
export async function transactWithRetry(doc: DynamoDBDocumentClient, build: () => TransactItems, options: TransactRetryOptions = {}): Promise<TransactRefusal | undefined> {
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
      const index = reasons.findIndex((reason) => reason.Code === 'ConditionalCheckFailed');
      if (index >= 0) return { kind: 'condition', index };
      if (attempt + 1 >= attempts) return { kind: 'conflict' };
      await sleep(Math.floor(random() * Math.min(options.capMs ?? 400, (options.baseMs ?? 25) * 2 ** attempt)));
    }
  }
}
