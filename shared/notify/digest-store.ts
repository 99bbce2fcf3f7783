import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionFailure } from '../platform/dynamo/dynamo-ops';
import { keys } from '../platform/dynamo/keys';
import { nextDigestAt, type DigestSchedule } from './digest-schedule-rules';

/** What the last digest showed: the next one reports the change since then. */
export interface LastDigest {
  /** The slot of the point it was computed from. */
  readonly slot: string;
  readonly valueUsd: string;
  readonly sentAt: string;
}

export interface DigestPreference {
  readonly schedule: DigestSchedule;
  /** The time zone `nextDueAt` was computed in (undefined: UTC). */
  readonly timeZone?: string;
  /** The next due instant (UTC ISO); undefined while off. */
  readonly nextDueAt?: string;
  readonly last?: LastDigest;
}

export interface DueDigest extends DigestPreference {
  readonly userId: string;
  readonly nextDueAt: string;
}

export interface DueDigestPage {
  readonly digests: readonly DueDigest[];
  readonly cursor?: string;
}

export interface DigestStore {
  get(userId: string): Promise<DigestPreference>;
  /** Stores the choice and its next due time in the index (out of the index when off); returns what was stored. */
  set(userId: string, schedule: DigestSchedule, timeZone: string | undefined, now: Date): Promise<DigestPreference>;
  /** The user's time zone changed: the next due time is computed again (nothing to do while off). */
  retime(userId: string, timeZone: string | undefined, now: Date): Promise<void>;
  /** One page of one shard of the digest index: digests due at or before `dueBy`, earliest first. */
  listDue(shard: number, dueBy: string, limit: number, cursor?: string): Promise<DueDigestPage>;
  /**
   * The digest due at `servedDueAt` was enqueued: moves the entry to `nextDueAt` and keeps what it showed. Refused
   * (false) when the entry changed meanwhile (the user chose again, another run served it).
   */
  advance(
    userId: string,
    servedDueAt: string,
    nextDueAt: string | undefined,
    last: LastDigest | undefined,
  ): Promise<boolean>;
}

/**
 * The /digest choice on `user#<id>` / `digest` in the portfolios table. While on, its gsi1 keys
 * (`digest#<shard>`, `<nextDueAt>#<userId>`) put it in the digest index, so the hourly job queries the digests due
 * now instead of scanning users. The entry is rewritten whenever the due time moves: after each digest (the next
 * occurrence, computed in the user's zone, so daylight saving is followed), on a new choice and on a new time zone.
 */
export function createDigestStore(doc: DynamoDBDocumentClient, tableName: string): DigestStore {
  const write = async (
    userId: string,
    schedule: DigestSchedule,
    timeZone: string | undefined,
    nextDueAt: Date | undefined,
    at: Date,
    condition?: { expression: string; values: Record<string, unknown> },
  ) => {
    const due = nextDueAt ? keys.digestIndex(userId, nextDueAt.toISOString()) : undefined;
    const set = [
      'entity = :entity',
      'userId = :userId',
      '#schedule = :schedule',
      'createdAt = if_not_exists(createdAt, :at)',
      'updatedAt = :at',
      ...(timeZone ? ['#tz = :tz'] : []),
      ...(due ? ['nextDueAt = :next', 'gsi1pk = :gpk', 'gsi1sk = :gsk'] : []),
    ];
    const remove = [...(timeZone ? [] : ['#tz']), ...(due ? [] : ['nextDueAt', 'gsi1pk', 'gsi1sk'])];
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: keys.digest(userId),
        UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
        ...(condition ? { ConditionExpression: condition.expression } : {}),
        ExpressionAttributeNames: { '#schedule': 'schedule', '#tz': 'timeZone' },
        ExpressionAttributeValues: {
          ':entity': 'digest',
          ':userId': userId,
          ':schedule': schedule,
          ':at': at.toISOString(),
          ...(timeZone ? { ':tz': timeZone } : {}),
          ...(due ? { ':next': nextDueAt!.toISOString(), ':gpk': due.gsi1pk, ':gsk': due.gsi1sk } : {}),
          ...condition?.values,
        },
      }),
    );
  };

  const get = async (userId: string): Promise<DigestPreference> => {
    const { Item } = await doc.send(
      new GetCommand({ TableName: tableName, Key: keys.digest(userId), ConsistentRead: true }),
    );
    return Item ? toPreference(Item) : { schedule: { mode: 'off' } };
  };

  return {
    get,
    async set(userId, schedule, timeZone, now) {
      const nextDueAt = nextDigestAt(schedule, timeZone ?? 'UTC', now);
      await write(userId, schedule, timeZone, nextDueAt, now);
      return {
        schedule,
        ...(timeZone ? { timeZone } : {}),
        ...(nextDueAt ? { nextDueAt: nextDueAt.toISOString() } : {}),
      };
    },
    async retime(userId, timeZone, now) {
      const current = await get(userId);
      if (current.schedule.mode === 'off' || current.timeZone === timeZone) return;
      await write(userId, current.schedule, timeZone, nextDigestAt(current.schedule, timeZone ?? 'UTC', now), now);
    },
    async listDue(shard, dueBy, limit, cursor) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk < :before',
          // '~' sorts after '#', so a digest due exactly at `dueBy` is included.
          ExpressionAttributeValues: { ':pk': keys.digestShardKey(shard), ':before': `${dueBy}~` },
          Limit: limit,
          ...(cursor ? { ExclusiveStartKey: JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) } : {}),
        }),
      );
      return {
        digests: (page.Items ?? []).map(
          (item) => ({ ...toPreference(item), userId: item.userId as string }) as DueDigest,
        ),
        ...(page.LastEvaluatedKey
          ? { cursor: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') }
          : {}),
      };
    },
    async advance(userId, servedDueAt, nextDueAt, last) {
      const due = nextDueAt ? keys.digestIndex(userId, nextDueAt) : undefined;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.digest(userId),
            UpdateExpression:
              `SET updatedAt = :at${last ? ', lastDigest = :last' : ''}` +
              (due ? ', nextDueAt = :next, gsi1pk = :gpk, gsi1sk = :gsk' : ' REMOVE nextDueAt, gsi1pk, gsi1sk'),
            ConditionExpression: 'nextDueAt = :served',
            ExpressionAttributeValues: {
              ':served': servedDueAt,
              ':at': new Date().toISOString(),
              ...(last ? { ':last': last } : {}),
              ...(due ? { ':next': nextDueAt, ':gpk': due.gsi1pk, ':gsk': due.gsi1sk } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

function toPreference(item: Record<string, unknown>): DigestPreference {
  const schedule = (item.schedule as DigestSchedule | undefined) ?? { mode: 'off' };
  return {
    schedule,
    ...(typeof item.timeZone === 'string' ? { timeZone: item.timeZone } : {}),
    ...(typeof item.nextDueAt === 'string' ? { nextDueAt: item.nextDueAt } : {}),
    ...(item.lastDigest ? { last: item.lastDigest as LastDigest } : {}),
  };
}
