import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecimalString, IsoTime } from '../../domain/types';
import { keys } from './keys';

export interface UserSettings {
  /** The user's explicit opt-in to live rebalancing (still gated by DRY_RUN_MODE). */
  readonly liveMode: boolean;
  /** Slippage cap in percent; undefined means the default. */
  readonly slippagePercent?: DecimalString;
}

export interface SettingsStore {
  get(userId: string): Promise<UserSettings>;
  setLiveMode(userId: string, liveMode: boolean, at: IsoTime): Promise<void>;
}

export function createSettingsStore(doc: DynamoDBDocumentClient, tableName: string): SettingsStore {
  return {
    async get(userId) {
      const { Item } = await doc.send(new GetCommand({ TableName: tableName, Key: keys.settings(userId), ConsistentRead: true }));
      const slippage = typeof Item?.slippagePercent === 'string' ? Item.slippagePercent : undefined;
      return { liveMode: Item?.liveMode === true, ...(slippage ? { slippagePercent: slippage } : {}) };
    },
    async setLiveMode(userId, liveMode, at) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.settings(userId),
          UpdateExpression: 'SET liveMode = :live, entity = :entity, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
          ExpressionAttributeValues: { ':live': liveMode, ':entity': 'user-settings', ':at': at },
        }),
      );
    },
  };
}
