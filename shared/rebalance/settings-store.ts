import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DecimalString, IsoTime, UnlistedPolicy } from '../kernel/types';
import { keys } from '../platform/dynamo/keys';

export interface UserSettings {
  /** The user's explicit opt-in to live rebalancing (still gated by DRY_RUN_MODE). */
  readonly liveMode: boolean;
  /** Slippage cap in percent; undefined means the default. */
  readonly slippagePercent?: DecimalString;
  /** What a rebalance does with holdings the target does not list ('keep' unless the user chose 'sell'). */
  readonly unlisted: UnlistedPolicy;
  /** The user's IANA time zone (e.g. 'Europe/Berlin') for quiet hours and the digest hour; undefined means UTC. */
  readonly timeZone?: string;
}

export interface SettingsStore {
  get(userId: string): Promise<UserSettings>;
  setLiveMode(userId: string, liveMode: boolean, at: IsoTime): Promise<void>;
  setUnlisted(userId: string, unlisted: UnlistedPolicy, at: IsoTime): Promise<void>;
  /** Stores an IANA time zone the caller has validated (`isTimeZone`). */
  setTimeZone(userId: string, timeZone: string, at: IsoTime): Promise<void>;
}

/** True for a time zone name this runtime's Intl knows ('UTC', 'Europe/Berlin', …). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

export function createSettingsStore(doc: DynamoDBDocumentClient, tableName: string): SettingsStore {
  return {
    async get(userId) {
      const { Item } = await doc.send(
        new GetCommand({ TableName: tableName, Key: keys.settings(userId), ConsistentRead: true }),
      );
      const slippage = typeof Item?.slippagePercent === 'string' ? Item.slippagePercent : undefined;
      const timeZone = typeof Item?.timeZone === 'string' && isTimeZone(Item.timeZone) ? Item.timeZone : undefined;
      return {
        liveMode: Item?.liveMode === true,
        unlisted: Item?.unlisted === 'sell' ? 'sell' : 'keep',
        ...(slippage ? { slippagePercent: slippage } : {}),
        ...(timeZone ? { timeZone } : {}),
      };
    },
    setLiveMode: (userId, liveMode, at) => setField(userId, 'liveMode', liveMode, at),
    setUnlisted: (userId, unlisted, at) => setField(userId, 'unlisted', unlisted, at),
    setTimeZone: (userId, timeZone, at) => setField(userId, 'timeZone', timeZone, at),
  };

  async function setField(
    userId: string,
    name: 'liveMode' | 'unlisted' | 'timeZone',
    value: boolean | string,
    at: IsoTime,
  ): Promise<void> {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.settings(userId),
        UpdateExpression:
          'SET #field = :value, entity = :entity, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
        ExpressionAttributeNames: { '#field': name },
        ExpressionAttributeValues: { ':value': value, ':entity': 'user-settings', ':at': at },
      }),
    );
  }
}
