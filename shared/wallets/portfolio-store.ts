import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { TargetAllocation, Wallet } from '../kernel/types';
import {
  ignoreConditionFailure,
  queryAll,
  transactWithRetry,
  type OptionalTransactItem,
  isConditionFailure,
} from '../platform/dynamo/dynamo-ops';
import { keys, NEVER_SYNCED, dueShard, DUE_SHARDS } from '../platform/dynamo/keys';

// The portfolios table's user item and its wallets: the wallet store, the write-sharded due index over the user
// items (gsi1; the scheduled sync's queries), and the user's activity mark (403 -> out of the due index). Every
// writer of the due-index keys is in this file.

export interface UserProfile {
  readonly userId: string;
  readonly chatId?: string;
  readonly walletAddresses: readonly string[];
  readonly walletCount: number;
  readonly lastSyncedAt?: string;
  readonly version: number;
}

/** What one sync records on a wallet item (only what is set is written). */
export interface WalletSyncMark {
  readonly walletId: string;
  /** The wallet is synced as of this time (when its balances were fetched). */
  readonly syncedAt?: string;
  /** The slot whose recorded prices now value the wallet's fresh holdings. */
  readonly pricedSlot?: string;
  /** Sets (a slot) or clears (null) the wallet's pending-empty mark. */
  readonly pendingEmptySince?: string | null;
}

export class WalletWriteConflictError extends Error {
  constructor(
    readonly reason: 'duplicate' | 'limit' | 'concurrent' | 'missing',
    options?: { cause?: unknown },
  ) {
    super(`wallet write refused: ${reason}`, options);
    this.name = 'WalletWriteConflictError';
  }
}

export interface PortfolioStore {
  getUser(userId: string): Promise<UserProfile | undefined>;
  /**
   * The profile, the wallets (sorted by addedAt) and the saved target (undefined: none) in one read of the user's
   * partition: the sync reads it once, and the alert check after it takes the target from it.
   */
  getUserWithWallets(
    userId: string,
  ): Promise<(UserProfile & { readonly wallets: Wallet[]; readonly target: TargetAllocation | undefined }) | undefined>;
  listWallets(userId: string): Promise<Wallet[]>;
  addWallet(wallet: Wallet, maxWallets: number, chatId?: string): Promise<void>;
  removeWallet(userId: string, walletId: string): Promise<Wallet>;
  markSynced(userId: string, walletIds: readonly string[], syncedAt: string): Promise<void>;
  /** Sets (a slot) or clears (undefined) the wallet's pending-empty mark; a deleted wallet is ignored. */
  markPendingEmpty(userId: string, walletId: string, since: string | undefined): Promise<void>;
  /**
   * A sync's marks as transaction items, to be written with its other items in one round trip: one update
   * per wallet (refused if the wallet was deleted meanwhile) and, with `userSyncedAt`, the user's sync time
   * and due-index key (refused if the user has no wallet left), as `markSynced` writes them.
   */
  syncMarkItems(userId: string, marks: readonly WalletSyncMark[], userSyncedAt?: string): OptionalTransactItem[];
  getTarget(userId: string): Promise<TargetAllocation | undefined>;
  putTarget(userId: string, target: TargetAllocation, at: string): Promise<void>;
}

/** Users, wallets and targets in the `portfolios` table; the user item feeds the "due" index. */
export function createPortfolioStore(doc: DynamoDBDocumentClient, tableName: string): PortfolioStore {
  const readUser = async (userId: string) =>
    (await doc.send(new GetCommand({ TableName: tableName, Key: keys.user(userId), ConsistentRead: true }))).Item;

  const listWallets = async (userId: string): Promise<Wallet[]> => {
    const prefix = keys.walletPrefix(userId);
    const items = await queryAll(doc, {
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
      ConsistentRead: true,
    });
    return items.map(toWallet).sort((a, b) => a.addedAt.localeCompare(b.addedAt));
  };

  /**
   * Users written before the wallet sets hold a list and a map, which `ADD`/`DELETE` cannot change: upgrade
   * such an item once, in place, from the wallet items (sets, count, per-address markers) under its version,
   * so no wallet is lost. A concurrent upgrade wins the version race and this one steps aside.
   */
  const upgradeLegacyUser = async (userId: string): Promise<void> => {
    const user = await readUser(userId);
    if (!user || !isLegacyUserItem(user)) return;
    const wallets = await listWallets(userId);
    await Promise.all(
      wallets.map((wallet) =>
        doc
          .send(
            new PutCommand({
              TableName: tableName,
              Item: addressMarker(wallet),
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch(ignoreConditionFailure),
      ),
    );
    const version = typeof user.version === 'number' ? user.version : undefined;
    const sets = wallets.length > 0;
    await doc
      .send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.user(userId),
          UpdateExpression: `SET walletCount = :count${sets ? ', walletAddresses = :addresses, walletChains = :chains' : ''} ${sets ? '' : 'REMOVE walletAddresses, walletChains '}ADD #version :one`,
          ConditionExpression: version === undefined ? 'attribute_not_exists(#version)' : '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: {
            ':count': wallets.length,
            ':one': 1,
            ...(version === undefined ? {} : { ':version': version }),
            ...(sets
              ? {
                  ':addresses': new Set(wallets.map((wallet) => wallet.address)),
                  ':chains': new Set(wallets.map((wallet) => chainEntry(wallet.address, wallet.chains.length))),
                }
              : {}),
          },
        }),
      )
      .catch(ignoreConditionFailure);
  };

  /**
   * The user's sync time and its place in the due index; refused when the user is gone or has no wallet. Only the
   * sort key: the partition key is the wallet writes' (and reactivation's), so a sync that ends after the user was
   * marked inactive (notify/user-activity-store.ts) does not put the user back in the index.
   */
  const markUserSynced = (userId: string, syncedAt: string) => {
    const due = keys.due(userId, syncedAt);
    return {
      TableName: tableName,
      Key: keys.user(userId),
      UpdateExpression: 'SET lastSyncedAt = :at, updatedAt = :at, gsi1sk = :gsk ADD #version :one',
      ConditionExpression: 'attribute_exists(pk) AND walletCount > :zero',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':at': syncedAt, ':gsk': due.gsi1sk, ':one': 1, ':zero': 0 },
    };
  };

  return {
    async getUser(userId) {
      const item = await readUser(userId);
      return item ? toProfile(item) : undefined;
    },
    listWallets,
    async getUserWithWallets(userId) {
      const items = await queryAll(doc, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.user(userId).pk },
        ConsistentRead: true,
      });
      const profile = items.find((item) => item.sk === keys.user(userId).sk);
      if (!profile) return undefined;
      const wallets = items
        .filter((item) => String(item.sk).startsWith(keys.walletPrefix(userId).skPrefix))
        .map(toWallet);
      const target = items.find((item) => item.sk === keys.target(userId).sk);
      return {
        ...toProfile(profile),
        wallets: wallets.sort((a, b) => a.addedAt.localeCompare(b.addedAt)),
        target: target ? (target.allocation as TargetAllocation) : undefined,
      };
    },
    syncMarkItems(userId, marks, userSyncedAt) {
      const walletItems = marks.flatMap((mark) => {
        const set = [
          ...(mark.syncedAt === undefined ? [] : ['lastSyncedAt = :at', 'updatedAt = :at']),
          ...(mark.pricedSlot === undefined ? [] : ['pricedSlot = :slot']),
          ...(typeof mark.pendingEmptySince === 'string' ? ['pendingEmptySince = :since'] : []),
        ];
        const remove = mark.pendingEmptySince === null ? ' REMOVE pendingEmptySince' : '';
        if (set.length === 0 && remove === '') return [];
        const values = {
          ':at': mark.syncedAt,
          ':slot': mark.pricedSlot,
          ':since': mark.pendingEmptySince ?? undefined,
        };
        return [
          {
            item: {
              Update: {
                TableName: tableName,
                Key: keys.wallet(userId, mark.walletId),
                UpdateExpression: `${set.length > 0 ? `SET ${set.join(', ')}` : ''}${remove}`.trim(),
                ConditionExpression: 'attribute_exists(pk)',
                ...(set.length > 0
                  ? {
                      ExpressionAttributeValues: Object.fromEntries(
                        Object.entries(values).filter(([, value]) => value !== undefined),
                      ),
                    }
                  : {}),
              },
            },
          },
        ];
      });
      return userSyncedAt === undefined
        ? walletItems
        : [...walletItems, { item: { Update: markUserSynced(userId, userSyncedAt) } }];
    },
    async addWallet(wallet, maxWallets, chatId) {
      const { userId, address, addedAt: at } = wallet;
      await upgradeLegacyUser(userId);
      const due = keys.due(userId, undefined);
      const walletItem = {
        ...keys.wallet(userId, wallet.walletId),
        entity: 'wallet',
        ...wallet,
        createdAt: at,
        updatedAt: at,
      };
      const marker = addressMarker(wallet);
      // No read-modify-write: the count, the address set and the chains set change atomically under the limit.
      const refusal = await transactWithRetry(doc, () => [
        { Put: { TableName: tableName, Item: walletItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: tableName, Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Update: {
            TableName: tableName,
            Key: keys.user(userId),
            UpdateExpression:
              `SET entity = :entity, userId = :userId, createdAt = if_not_exists(createdAt, :at), updatedAt = :at, gsi1pk = :gpk, gsi1sk = if_not_exists(gsi1sk, :gsk)${chatId ? ', chatId = :chat' : ''} ` +
              'ADD walletCount :one, #version :one, walletAddresses :address, walletChains :chains',
            ConditionExpression: 'attribute_not_exists(walletCount) OR walletCount < :max',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':entity': 'user',
              ':userId': userId,
              ':at': at,
              ':gpk': due.gsi1pk,
              ':gsk': due.gsi1sk,
              ':one': 1,
              ':max': maxWallets,
              ':address': new Set([address]),
              ':chains': new Set([chainEntry(address, wallet.chains.length)]),
              ...(chatId ? { ':chat': chatId } : {}),
            },
          },
        },
      ]);
      if (!refusal) return;
      if (refusal.kind === 'conflict') throw new WalletWriteConflictError('concurrent');
      throw new WalletWriteConflictError(
        refusal.index === 2 ? 'limit' : refusal.index === 1 ? 'duplicate' : 'concurrent',
      );
    },
    async removeWallet(userId, walletId) {
      await upgradeLegacyUser(userId);
      const item = (
        await doc.send(
          new GetCommand({ TableName: tableName, Key: keys.wallet(userId, walletId), ConsistentRead: true }),
        )
      ).Item;
      if (!item) throw new WalletWriteConflictError('missing');
      const wallet = toWallet(item);
      const at = new Date().toISOString();
      const refusal = await transactWithRetry(doc, () => [
        {
          Delete: {
            TableName: tableName,
            Key: keys.wallet(userId, walletId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: keys.walletAddress(userId, wallet.address),
            ConditionExpression: 'attribute_not_exists(pk) OR walletId = :walletId',
            ExpressionAttributeValues: { ':walletId': walletId },
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: keys.user(userId),
            UpdateExpression:
              'SET updatedAt = :at ADD walletCount :minusOne, #version :one DELETE walletAddresses :address, walletChains :chains',
            ConditionExpression: 'walletCount > :zero',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':at': at,
              ':minusOne': -1,
              ':one': 1,
              ':zero': 0,
              ':address': new Set([wallet.address]),
              ':chains': new Set([chainEntry(wallet.address, wallet.chains.length)]),
            },
          },
        },
      ]);
      if (refusal) throw new WalletWriteConflictError(refusal.kind === 'conflict' ? 'concurrent' : 'missing');
      // A user without wallets leaves the due index; a wallet added meanwhile keeps it (the count is checked).
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.user(userId),
            UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
            ConditionExpression: 'walletCount = :zero',
            ExpressionAttributeValues: { ':zero': 0 },
          }),
        )
        .catch(ignoreConditionFailure);
      return wallet;
    },
    async markSynced(userId, walletIds, syncedAt) {
      // The wallets first, then the user item: the user only leaves the front of the due index once its wallets are marked.
      await Promise.all(
        walletIds.map((walletId) =>
          doc
            .send(
              new UpdateCommand({
                TableName: tableName,
                Key: keys.wallet(userId, walletId),
                UpdateExpression: 'SET lastSyncedAt = :at, updatedAt = :at',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':at': syncedAt },
              }),
            )
            .catch(ignoreConditionFailure),
        ),
      );
      await doc.send(new UpdateCommand(markUserSynced(userId, syncedAt))).catch(ignoreConditionFailure);
    },
    async markPendingEmpty(userId, walletId, since) {
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.wallet(userId, walletId),
            UpdateExpression: since === undefined ? 'REMOVE pendingEmptySince' : 'SET pendingEmptySince = :since',
            ConditionExpression: 'attribute_exists(pk)',
            ...(since === undefined ? {} : { ExpressionAttributeValues: { ':since': since } }),
          }),
        )
        .catch(ignoreConditionFailure);
    },
    async getTarget(userId) {
      const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.target(userId) }))).Item;
      return item ? (item.allocation as TargetAllocation) : undefined;
    },
    async putTarget(userId, target, at) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.target(userId),
          UpdateExpression:
            'SET entity = :entity, allocation = :allocation, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
          ExpressionAttributeValues: { ':entity': 'target', ':allocation': target, ':at': at },
        }),
      );
    },
  };
}

/** The per-address item that keeps a user's addresses unique (`attribute_not_exists` on it). */
function addressMarker(wallet: Wallet): Record<string, unknown> {
  const { userId, walletId, address, addedAt } = wallet;
  return {
    ...keys.walletAddress(userId, address),
    entity: 'wallet-address',
    userId,
    walletId,
    address,
    createdAt: addedAt,
    updatedAt: addedAt,
  };
}

function toWallet(item: Record<string, unknown>): Wallet {
  return {
    userId: item.userId as string,
    walletId: item.walletId as string,
    address: item.address as string,
    family: item.family as Wallet['family'],
    chains: item.chains as string[],
    label: item.label as string | undefined,
    addedAt: item.addedAt as string,
    lastSyncedAt: item.lastSyncedAt as string | undefined,
    ...(typeof item.pendingEmptySince === 'string' ? { pendingEmptySince: item.pendingEmptySince } : {}),
    ...(typeof item.pricedSlot === 'string' ? { pricedSlot: item.pricedSlot } : {}),
  };
}

function toProfile(item: Record<string, unknown>): UserProfile {
  const lastSyncedAt = item.lastSyncedAt as string | undefined;
  return {
    userId: item.userId as string,
    chatId: item.chatId as string | undefined,
    walletAddresses: readAddresses(item.walletAddresses),
    walletCount: (item.walletCount as number | undefined) ?? 0,
    lastSyncedAt: lastSyncedAt === NEVER_SYNCED ? undefined : lastSyncedAt,
    version: (item.version as number | undefined) ?? 0,
  };
}

/**
 * The user item's derived wallet attributes are string sets changed only with `ADD`/`DELETE`, never
 * rewritten whole, so two concurrent wallet edits cannot drop each other's entry:
 * - `walletAddresses`: the tracked addresses (a per-address marker item keeps them unique per user);
 * - `walletChains`: one `<address>=<chains tracked>` entry per address, read by the fan-out budget.
 * Items written before sets were used hold a list and a map; both forms are read.
 */
function chainEntry(address: string, chains: number): string {
  return `${address}=${chains}`;
}

function readAddresses(value: unknown): string[] {
  if (value instanceof Set) return [...(value as Set<string>)].sort();
  return Array.isArray(value) ? (value as string[]) : [];
}

function readChainCounts(value: unknown): Record<string, number> | undefined {
  if (value instanceof Set) {
    const counts: Record<string, number> = {};
    for (const entry of value as Set<string>) {
      const cut = entry.lastIndexOf('=');
      const address = entry.slice(0, cut);
      counts[address] = Math.max(counts[address] ?? 0, Number(entry.slice(cut + 1)));
    }
    return counts;
  }
  return value && typeof value === 'object' ? (value as Record<string, number>) : undefined;
}

/** A user item from before the sets: `walletAddresses` a list or `walletChains` a map. */
function isLegacyUserItem(item: Record<string, unknown>): boolean {
  const { walletAddresses, walletChains } = item;
  return Array.isArray(walletAddresses) || (walletChains !== undefined && !(walletChains instanceof Set));
}

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
