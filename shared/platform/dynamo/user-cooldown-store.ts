import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './dynamo-ops';
import { keys, ttlAfter } from './keys';

export type CooldownResult =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

/** A per-user allowance: at most `limit` uses per fixed window of `windowSeconds`. */
export interface UserBudget {
  readonly limit: number;
  readonly windowSeconds: number;
}

export interface UserCooldownStore {
  /**
   * Takes the per-user cooldown for `action` (e.g. "refresh"): allowed once per `cooldownSeconds`,
   * across every Lambda instance, by one conditional write.
   */
  tryAcquire(userId: string, action: string, cooldownSeconds: number): Promise<CooldownResult>;
  /**
   * Spends one use of the user's `action` budget in the current window by one conditional `ADD` on a
   * per-user window item, so parallel taps on any number of Lambdas never get more than `limit` through.
   * Refused: how many seconds until the window ends.
   */
  tryConsume(userId: string, action: string, budget: UserBudget): Promise<CooldownResult>;
}

export function createUserCooldownStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): UserCooldownStore {
  return {
    async tryAcquire(userId, action, cooldownSeconds) {
      const at = now();
      const until = new Date(at.getTime() + cooldownSeconds * 1000).toISOString();
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.rateWindow(`${action}#user#${userId}`, 'cooldown'),
            UpdateExpression:
              'SET #until = :until, entity = :entity, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
            ExpressionAttributeNames: { '#until': 'cooldownUntil', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':until': until,
              ':now': at.toISOString(),
              ':entity': 'user-cooldown',
              ':ttl': ttlAfter(at.getTime(), cooldownSeconds + 3600),
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const held = readHeldUntil(error);
        const remainingMs = held ? Date.parse(held) - at.getTime() : cooldownSeconds * 1000;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
      }
    },

    async tryConsume(userId, action, { limit, windowSeconds }) {
      const atMs = now().getTime();
      const windowStart = Math.floor(atMs / 1000 / windowSeconds) * windowSeconds;
      const at = new Date(atMs).toISOString();
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.rateWindow(`${action}#user#${userId}`, String(windowStart)),
            UpdateExpression:
              'SET entity = :entity, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), #ttl = :ttl ADD #count :one',
            ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
            ExpressionAttributeNames: { '#count': 'count', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': limit,
              ':entity': 'user-budget',
              ':now': at,
              ':ttl': ttlAfter((windowStart + windowSeconds) * 1000, 3600),
            },
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(windowStart + windowSeconds - atMs / 1000)) };
      }
    },
  };
}

/** The failed condition returns the old item in raw AttributeValue form (lib-dynamodb leaves errors alone). */
function readHeldUntil(error: unknown): string | undefined {
  const value = (error as { Item?: { cooldownUntil?: { S?: string } } }).Item?.cooldownUntil;
  return value?.S;
}
