import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { DUE_SHARDS, keys, NEVER_SYNCED } from '../platform/dynamo/keys';
import { readAddresses, readChainCounts } from '../wallets/portfolio-store';

export const DUE_INDEX_NAME = 'gsi1';

/** A user item as seen through the write-sharded "due" index (gsi1 of the portfolios table). */
export interface DueUser {
  readonly userId: string;
  /** The index sort key `<lastSyncedAt>#<userId>`: merge order across shards. */
  readonly dueKey: string;
  readonly lastSyncedAt?: string;
  /** Distinct addresses of the user's wallets. */
  readonly walletAddresses: readonly string[];
  readonly walletCount: number;
  /** Tracked chains per address when the user item carries them (`walletChains`); otherwise undefined. */
  readonly chainsByAddress?: Readonly<Record<string, number>>;
}

export interface DuePage {
  readonly users: readonly DueUser[];
  /** Opaque; pass back to continue. Undefined on the last page. */
  readonly cursor?: string;
}

export interface DueQuery {
  readonly limit: number;
  readonly cursor?: string;
  /** Only users whose `lastSyncedAt` is before this instant (ISO). @default every user with wallets */
  readonly syncedBefore?: string;
}

export interface DueCount {
  readonly count: number;
  /** True when `maxPages` stopped the count: the real number is higher. */
  readonly capped: boolean;
}

export interface DueIndexStore {
  /** One page of one shard, oldest `lastSyncedAt` first. */
  listDueUsers(shard: number, query: DueQuery): Promise<DuePage>;
  /** Counts a shard's due users from `cursor` on, without returning them (bounded by `maxPages` of 1 MB). */
  countDueUsers(shard: number, query: Omit<DueQuery, 'limit'> & { maxPages?: number }): Promise<DueCount>;
}

export const DUE_SHARD_NUMBERS: readonly number[] = Array.from({ length: DUE_SHARDS }, (_, shard) => shard);

/** Reads the "due" index written by the portfolio store: a query per shard, never a table scan. */
export function createDueIndexStore(doc: DynamoDBDocumentClient, tableName: string): DueIndexStore {
  const baseQuery = (shard: number, query: Omit<DueQuery, 'limit'>): QueryCommandInput => ({
    TableName: tableName,
    IndexName: DUE_INDEX_NAME,
    KeyConditionExpression: query.syncedBefore ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
    ExpressionAttributeValues: {
      ':pk': keys.dueShardKey(shard),
      ...(query.syncedBefore ? { ':before': query.syncedBefore } : {}),
    },
    ScanIndexForward: true,
    ExclusiveStartKey: decodeCursor(query.cursor),
  });

  return {
    async listDueUsers(shard, query) {
      const page = await doc.send(
        new QueryCommand({
          ...baseQuery(shard, query),
          Limit: query.limit,
          ProjectionExpression: 'userId, gsi1sk, lastSyncedAt, walletAddresses, walletCount, walletChains',
        }),
      );
      return { users: (page.Items ?? []).map(toDueUser), cursor: encodeCursor(page.LastEvaluatedKey) };
    },
    async countDueUsers(shard, query) {
      let count = 0;
      let cursor = query.cursor;
      const maxPages = query.maxPages ?? 20;
      for (let pages = 0; pages < maxPages; pages += 1) {
        const page = await doc.send(new QueryCommand({ ...baseQuery(shard, { ...query, cursor }), Select: 'COUNT' }));
        count += page.Count ?? 0;
        cursor = encodeCursor(page.LastEvaluatedKey);
        if (!cursor) return { count, capped: false };
      }
      return { count, capped: true };
    },
  };
}

function toDueUser(item: Record<string, unknown>): DueUser {
  const lastSyncedAt = item.lastSyncedAt as string | undefined;
  return {
    userId: item.userId as string,
    dueKey: item.gsi1sk as string,
    lastSyncedAt: lastSyncedAt === undefined || lastSyncedAt === NEVER_SYNCED ? undefined : lastSyncedAt,
    walletAddresses: readAddresses(item.walletAddresses),
    walletCount: (item.walletCount as number | undefined) ?? 0,
    chainsByAddress: readChainCounts(item.walletChains),
  };
}

function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  return cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>)
    : undefined;
}
