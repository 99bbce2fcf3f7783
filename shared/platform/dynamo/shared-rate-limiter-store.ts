import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SharedRateLimiter } from '../okx/shared-rate-limiter-port';
import { sleep as realSleep, type Sleep } from '../helpers';
import { isConditionFailure } from './dynamo-ops';
import { keys, ttlAfter } from './keys';
import { SharedRateLimitTimeoutError } from './shared-rate-limit-timeout-error';

export interface SharedRateLimiterOptions {
  readonly doc: DynamoDBDocumentClient;
  /** The sessions table (it has the `ttl` attribute that sweeps old windows). */
  readonly tableName: string;
  /** What the budget is for, e.g. `okx`; one item per scope and second. */
  readonly scope: string;
  /** Grants per one-second window across every caller. */
  readonly limitPerSecond: number;
  /**
   * Set for interactive callers (the webhook): they may take at most this percentage of `limitPerSecond`,
   * spread evenly over the seconds (see `interactiveCapAt`), so the rest stays reserved for callers
   * without it (the scheduled sync), which may use the whole window. Unset: no cap.
   */
  readonly interactiveSharePercent?: number;
  /** Give up (with `SharedRateLimitTimeoutError`) rather than wait longer than this; default 30 s. */
  readonly maxWaitMs?: number;
  /** Upper bound of the random delay after a window boundary, so losers do not retry in lock step; default 50 ms. */
  readonly jitterMs?: number;
  readonly now?: () => number;
  readonly sleep?: Sleep;
  /** Source of jitter in [0, 1). */
  readonly random?: () => number;
}

/** A window item outlives its second by a minute, then TTL removes it. */
const WINDOW_ITEM_SECONDS = 60;
const ENTITY = 'rate-window';

// Named fragments: the count only grows while the window still has room for the slots taken.
const HAS_NO_GRANTS = 'attribute_not_exists(#count)';
const HAS_ROOM = '#count <= :room';
const HAS_INTERACTIVE_ROOM = '(attribute_not_exists(#interactive) OR #interactive <= :interactiveRoom)';

/**
 * Grants interactive callers may take in epoch `second`: floor((s+1)·L·p/100) − floor(s·L·p/100), so over
 * any run of seconds they get at most their share (±1) even when it is below one per second — at
 * L = 1 and p = 50 every other second is open to them, the others are the sync's alone.
 */
export function interactiveCapAt(second: number, limitPerSecond: number, sharePercent: number): number {
  const upTo = (s: number) => Math.floor((s * limitPerSecond * sharePercent) / 100);
  return upTo(second + 1) - upTo(second);
}

/**
 * Slots one round trip may take: the caller's demand, but no more than a local bucket at this rate can
 * still let through before the second ends (slots left at its end are forfeited), and at most half a
 * window, so other containers (the webhook's users) still find room in it.
 */
export function batchSize(
  demand: number,
  atMs: number,
  limitPerSecond: number,
  cap = Number.POSITIVE_INFINITY,
): number {
  const msLeft = 1000 - (atMs % 1000);
  const usable = 1 + Math.floor((msLeft * limitPerSecond) / 1000);
  return Math.max(1, Math.min(Math.floor(demand), usable, Math.ceil(limitPerSecond / 2), cap));
}

/**
 * Fixed-window limiter in DynamoDB: one item per scope and epoch second whose `count` is raised by a
 * conditional `ADD`, so at most `limitPerSecond` slots are granted each second, whichever Lambda they run in.
 * A caller with demand takes several slots in one round trip (see `batchSize`) and keeps the rest for its
 * container's next requests in the same second; a window without room for them is tried once more for
 * one slot. A caller that finds the window full waits for the next second (plus jitter) and tries again.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const { doc, tableName, scope, limitPerSecond } = options;
  if (!Number.isInteger(limitPerSecond) || limitPerSecond <= 0)
    throw new RangeError(`limitPerSecond must be a positive integer, got ${limitPerSecond}`);
  const share = options.interactiveSharePercent;
  if (share !== undefined && !(Number.isInteger(share) && share > 0 && share <= 100))
    throw new RangeError(`interactiveSharePercent must be an integer in 1..100, got ${share}`);
  const maxWaitMs = options.maxWaitMs ?? 30_000;
  const jitterMs = options.jitterMs ?? 50;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;

  /** One conditional write: true when this caller got `slots` slots in `second`. */
  async function tryTake(
    second: number,
    atMs: number,
    slots: number,
    cap: number | undefined,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const at = new Date(atMs).toISOString();
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.rateWindow(scope, String(second)),
          UpdateExpression: `SET entity = :entity, createdAt = if_not_exists(createdAt, :now), updatedAt = :now, #ttl = :ttl ADD #count :slots${cap === undefined ? '' : ', #interactive :slots'}`,
          ConditionExpression: `(${HAS_NO_GRANTS} OR ${HAS_ROOM})${cap === undefined ? '' : ` AND ${HAS_INTERACTIVE_ROOM}`}`,
          ExpressionAttributeNames: {
            '#count': 'count',
            '#ttl': 'ttl',
            ...(cap === undefined ? {} : { '#interactive': 'interactive' }),
          },
          ExpressionAttributeValues: {
            ':slots': slots,
            ':room': limitPerSecond - slots,
            ':entity': ENTITY,
            ':now': at,
            ':ttl': ttlAfter(second * 1000, WINDOW_ITEM_SECONDS),
            ...(cap === undefined ? {} : { ':interactiveRoom': cap - slots }),
          },
        }),
        signal ? { abortSignal: signal } : {},
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Slots this container took and has not used yet, valid in their second only. */
  const spare = { second: -1, slots: 0 };

  /** Slots granted to this caller in `second` (0: the window is full for it). */
  async function take(second: number, atMs: number, demand: number, signal?: AbortSignal): Promise<number> {
    const cap = share === undefined ? undefined : interactiveCapAt(second, limitPerSecond, share);
    if (cap === 0) return 0;
    const slots = batchSize(demand, atMs, limitPerSecond, cap);
    if (await tryTake(second, atMs, slots, cap, signal)) return slots;
    return slots > 1 && (await tryTake(second, atMs, 1, cap, signal)) ? 1 : 0;
  }

  return {
    async acquire(signal, demand = 1) {
      const startedAt = now();
      for (;;) {
        signal?.throwIfAborted();
        const at = now();
        const second = Math.floor(at / 1000);
        if (spare.second === second && spare.slots > 0) {
          spare.slots -= 1;
          return;
        }
        const granted = await take(second, at, demand, signal);
        if (granted > 0) {
          if (spare.second !== second) Object.assign(spare, { second, slots: 0 });
          spare.slots += granted - 1;
          return;
        }
        const wakeAt = (second + 1) * 1000 + Math.floor(random() * jitterMs);
        // Fail now rather than sleep into a wait we already know is too long.
        if (wakeAt - startedAt > maxWaitMs)
          throw new SharedRateLimitTimeoutError(scope, limitPerSecond, now() - startedAt);
        await sleep(Math.max(0, wakeAt - now()), signal);
      }
    },
  };
}
