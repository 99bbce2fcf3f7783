import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys, ttlAfter } from '../platform/dynamo/keys';

/**
 * Where one notification's delivery stands:
 * - `sending`: claimed by a sender; a redelivery finding it does not send (it may have reached Telegram);
 * - `pending`: a known refusal (429, 5xx) released it; the next delivery resumes at `partsSent`;
 * - `sent`, `blocked` (403), `dropped` (refused for good): final.
 */
export type DeliveryState = 'sending' | 'pending' | 'sent' | 'blocked' | 'dropped';

export type DeliveryClaim =
  { readonly status: 'claimed'; readonly partsSent: number } | { readonly status: Exclude<DeliveryState, 'pending'> };

export interface DeliveryStore {
  /** One conditional write: the caller owns the delivery only when it was new or `pending`. */
  claim(id: string, userId: string, at: string): Promise<DeliveryClaim>;
  /** `partsSent` parts have reached Telegram (a photo, then the text parts). */
  recordProgress(id: string, partsSent: number, at: string): Promise<void>;
  /** A known refusal: another delivery may try again from `partsSent`. */
  release(id: string, partsSent: number, at: string): Promise<void>;
  finish(id: string, state: 'sent' | 'blocked' | 'dropped', at: string): Promise<void>;
}

/** Kept a week: SQS keeps a message at most 4 days (14 in a DLQ awaiting redrive, which is an operator's act). */
const DELIVERY_TTL_SECONDS = 7 * 86_400;

/** Delivery records in the sessions table (`notification#<id>` / `delivery`), removed by TTL after a week. */
export function createDeliveryStore(doc: DynamoDBDocumentClient, tableName: string): DeliveryStore {
  const set = (id: string, expression: string, values: Record<string, unknown>) =>
    doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.notificationDelivery(id),
        UpdateExpression: `SET ${expression}, updatedAt = :at`,
        ...(expression.includes('#state') ? { ExpressionAttributeNames: { '#state': 'state' } } : {}),
        ExpressionAttributeValues: values,
      }),
    );

  return {
    async claim(id, userId, at) {
      try {
        const { Attributes } = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.notificationDelivery(id),
            UpdateExpression:
              'SET #state = :sending, userId = :userId, entity = :entity, partsSent = if_not_exists(partsSent, :zero), ' +
              'createdAt = if_not_exists(createdAt, :at), updatedAt = :at, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(pk) OR #state = :pending',
            ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':pending': 'pending',
              ':userId': userId,
              ':entity': 'notification-delivery',
              ':zero': 0,
              ':at': at,
              ':ttl': ttlAfter(Date.parse(at), DELIVERY_TTL_SECONDS),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return { status: 'claimed', partsSent: Number(Attributes?.partsSent ?? 0) };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.notificationDelivery(id), ConsistentRead: true }),
      );
      const state = Item?.state as DeliveryState | undefined;
      // Released between the two requests: the next delivery of the message claims it.
      return { status: state === undefined || state === 'pending' ? 'sending' : state };
    },
    recordProgress: async (id, partsSent, at) => {
      await set(id, 'partsSent = :parts', { ':parts': partsSent, ':at': at });
    },
    release: async (id, partsSent, at) => {
      await set(id, '#state = :pending, partsSent = :parts', { ':pending': 'pending', ':parts': partsSent, ':at': at });
    },
    finish: async (id, state, at) => {
      await set(id, '#state = :state', { ':state': state, ':at': at });
    },
  };
}
