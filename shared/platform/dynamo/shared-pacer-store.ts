import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { sleep as realSleep, type Sleep } from '../helpers';
import { isConditionFailure } from './dynamo-ops';
import { keys } from './keys';
import { SharedRateLimitTimeoutError } from './shared-rate-limit-timeout-error';

/**
 * Spaces sends evenly across every Lambda container: each caller reserves the next free send time and waits
 * for it. Unlike the fixed-window limiter (`shared-rate-limiter-store.ts`), no rolling second ever holds more
 * than `1000 / intervalMs` (+1) grants, which is how Telegram counts (a fixed window lets 2× through across a
 * boundary).
 */
export interface SharedPacer {
  /** Resolves at this caller's reserved send time; rejects with `SharedRateLimitTimeoutError` after `maxWaitMs`. */
  acquire(signal?: AbortSignal): Promise<void>;
  /** Nobody is granted a send before `untilMs` (Telegram's `retry_after`): every container waits. */
  pauseUntil(untilMs: number): Promise<void>;
}

export interface SharedPacerOptions {
  readonly doc: DynamoDBDocumentClient;
  /** The sessions table (its `ttl` sweeps idle pacers). */
  readonly tableName: string;
  /** e.g. `telegram` (the whole bot) or `telegram-chat#<chatId>` (one chat). */
  readonly scope: string;
  /** Time between two grants. */
  readonly intervalMs: number;
  /** How far ahead of now a caller may reserve. @default 10 × intervalMs, at least 1 s */
  readonly maxAheadMs?: number;
  /** @default 30 s */
  readonly maxWaitMs?: number;
  /** A granted slot this late (or one interval, if longer) is forfeited and another reserved. @default 20 ms */
  readonly lateToleranceMs?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
}

/** An idle pacer's item lives an hour past its last reservation. */
const IDLE_TTL_SECONDS = 3600;

/**
 * One item per scope (`rate#<scope>` / `pace`) holding `next`, the earliest time (epoch ms) of the next grant.
 * An idle pacer (`next <= now`) grants now and sets `next = now + interval` (one conditional SET); a busy one
 * appends (`next = next + interval` while `next <= now + maxAhead`, the new value returned) and the caller
 * sleeps until its slot. The container remembers the last `next` it saw, so a busy pacer costs one write per
 * grant.
 */
export function createSharedPacer(options: SharedPacerOptions): SharedPacer {
  const { doc, tableName, scope, intervalMs } = options;
  if (!(intervalMs > 0)) throw new RangeError(`intervalMs must be positive, got ${intervalMs}`);
  const maxAheadMs = options.maxAheadMs ?? Math.max(1000, 10 * intervalMs);
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const lateToleranceMs = options.lateToleranceMs ?? 20;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const key = keys.ratePace(scope);
  let knownNext: number | undefined;

  const ttlOf = (ms: number) => Math.ceil(ms / 1000) + IDLE_TTL_SECONDS;

  async function update(
    expression: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<number | undefined> {
    try {
      const { Attributes } = await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: `${expression}, entity = :entity, #ttl = :ttl`,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#next': 'next', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ...values, ':entity': 'rate-pace' },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Attributes?.next as number;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** The granted send time, or undefined when every slot up to the horizon is taken. */
  async function reserve(at: number): Promise<number | undefined> {
    if (knownNext === undefined || knownNext <= at) {
      const started = await update('SET #next = :after', 'attribute_not_exists(#next) OR #next <= :at', {
        ':after': at + intervalMs,
        ':at': at,
        ':ttl': ttlOf(at + intervalMs),
      });
      if (started !== undefined) {
        knownNext = started;
        return at;
      }
    }
    const next = await update('SET #next = #next + :interval', 'attribute_exists(#next) AND #next <= :horizon', {
      ':interval': intervalMs,
      ':horizon': at + maxAheadMs,
      ':ttl': ttlOf(at + maxAheadMs + intervalMs),
    });
    knownNext = next;
    return next === undefined ? undefined : next - intervalMs;
  }

  return {
    async acquire(signal) {
      const startedAt = now();
      for (;;) {
        signal?.throwIfAborted();
        const at = now();
        const slot = await reserve(at);
        if (slot !== undefined) {
          if (slot - startedAt > maxWaitMs)
            throw new SharedRateLimitTimeoutError(scope, 1000 / intervalMs, slot - startedAt);
          // From the time the reservation came back, so a slow round trip does not shift the send.
          const wait = slot - now();
          if (wait > 0) await sleep(wait, signal);
          // A send more than one interval late (a slow round trip, a busy event loop) would bunch up with the sends
          // of the slots after it: the slot is forfeited and a new one reserved.
          if (now() - slot <= Math.max(intervalMs, lateToleranceMs)) return;
          continue;
        }
        if (now() - startedAt + maxAheadMs / 4 > maxWaitMs)
          throw new SharedRateLimitTimeoutError(scope, 1000 / intervalMs, now() - startedAt);
        await sleep(maxAheadMs / 4, signal);
      }
    },
    async pauseUntil(untilMs) {
      const next = await update('SET #next = :until', 'attribute_not_exists(#next) OR #next < :until', {
        ':until': untilMs,
        ':ttl': ttlOf(untilMs),
      });
      if (next !== undefined) knownNext = next;
    },
  };
}
