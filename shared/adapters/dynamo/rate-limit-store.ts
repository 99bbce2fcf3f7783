import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from './condition-failure';
import { keys, ttlAfter } from './keys';

export type CooldownResult = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimitStore {
  /**
   * Takes the per-user cooldown for `action` (e.g. "refresh"): allowed once per `cooldownSeconds`,
   * across every Lambda instance, by one conditional write.
   */
  tryAcquire(userId: string, action: string, cooldownSeconds: number): Promise<CooldownResult>;
}

export function createRateLimitStore(doc: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()): RateLimitStore {
  return {
    async tryAcquire(userId, action, cooldownSeconds) {
      const at = now();
      const until = new Date(at.getTime() + cooldownSeconds * 1000).toISOString();
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.rateWindow(`${action}#user#${userId}`, 'cooldown'),
            UpdateExpression: 'SET #until = :until, entity = :entity, updatedAt = :now, createdAt = if_not_exists(createdAt, :now), #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(pk) OR #until <= :now',
            ExpressionAttributeNames: { '#until': 'cooldownUntil', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':until': until, ':now': at.toISOString(), ':entity': 'user-cooldown', ':ttl': ttlAfter(at.getTime(), cooldownSeconds + 3600) },
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
  };
}

/** The failed condition returns the old item in raw AttributeValue form (lib-dynamodb leaves errors alone). */
function readHeldUntil(error: unknown): string | undefined {
  const value = (error as { Item?: { cooldownUntil?: { S?: string } } }).Item?.cooldownUntil;
  return value?.S;
}
