import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { dueShard, keys } from '../platform/dynamo/keys';

/**
 * A user Telegram refused to deliver to (403: the bot was blocked, the chat deleted) is inactive: the user item
 * loses its due-index partition key (`gsi1pk`), so the scheduled sync's index queries never see it and no OKX
 * request is spent on it. `gsi1sk` stays, so reactivation only puts the partition key back (an item is in a GSI
 * only with both keys; a user without wallets has no `gsi1sk`, so it stays out).
 */
export interface UserActivityStore {
  /** True when the user item was there to mark. */
  markInactive(userId: string, at: string): Promise<boolean>;
  /** True when the user was inactive and is active again; a conditional write that changes nothing otherwise. */
  reactivate(userId: string, at: string): Promise<boolean>;
  /** True while the user is marked inactive (the digest job skips them). */
  isInactive(userId: string): Promise<boolean>;
}

export function createUserActivityStore(doc: DynamoDBDocumentClient, tableName: string): UserActivityStore {
  const update = async (
    userId: string,
    expression: string,
    condition: string,
    values: Record<string, unknown>,
  ): Promise<boolean> => {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.user(userId),
          UpdateExpression: expression,
          ConditionExpression: condition,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  };

  return {
    async isInactive(userId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.user(userId), ProjectionExpression: 'inactiveSince' }),
      );
      return typeof Item?.inactiveSince === 'string';
    },
    markInactive: (userId, at) =>
      update(
        userId,
        'SET inactiveSince = if_not_exists(inactiveSince, :at), updatedAt = :at REMOVE gsi1pk',
        'attribute_exists(pk)',
        { ':at': at },
      ),
    reactivate: (userId, at) =>
      update(userId, 'SET gsi1pk = :gpk, updatedAt = :at REMOVE inactiveSince', 'attribute_exists(inactiveSince)', {
        ':gpk': keys.dueShardKey(dueShard(userId)),
        ':at': at,
      }),
  };
}
