import { DeleteCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';

/** Telegram retries an update for up to a day; two days of claims cover every redelivery. */
export const UPDATE_CLAIM_TTL_SECONDS = 48 * 3600;

export interface UpdateStore {
  /** Records `update_id` as processed: true for the first caller, false for every duplicate. */
  claim(updateId: number): Promise<boolean>;
  /** Gives the claim back so a redelivery is processed (only when we answer Telegram with a 5xx). */
  release(updateId: number): Promise<void>;
}

export function createUpdateStore(
  doc: DynamoDBDocumentClient,
  tableName: string,
  now: () => Date = () => new Date(),
): UpdateStore {
  return {
    async claim(updateId) {
      const at = now();
      const item = {
        ...keys.telegramUpdate(updateId),
        entity: 'telegram-update',
        updateId: String(updateId),
        createdAt: at.toISOString(),
        updatedAt: at.toISOString(),
        ttl: ttlAfter(at.getTime(), UPDATE_CLAIM_TTL_SECONDS),
      };
      try {
        await doc.send(
          new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
    async release(updateId) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: keys.telegramUpdate(updateId) }));
    },
  };
}
