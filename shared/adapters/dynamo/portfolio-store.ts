import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { TargetAllocation, Wallet } from '../../domain/types';
import { ignoreConditionFailure } from './condition-failure';
import { keys, NEVER_SYNCED } from './keys';
import { queryAll } from './query-all';

export interface UserProfile {
  readonly userId: string;
  readonly chatId?: string;
  readonly walletAddresses: readonly string[];
  readonly walletCount: number;
  readonly lastSyncedAt?: string;
  readonly version: number;
}

export class WalletWriteConflictError extends Error {
  constructor(readonly reason: 'duplicate' | 'limit' | 'concurrent' | 'missing', options?: { cause?: unknown }) {
    super(`wallet write refused: ${reason}`, options);
    this.name = 'WalletWriteConflictError';
  }
}

export interface PortfolioStore {
  getUser(userId: string): Promise<UserProfile | undefined>;
  listWallets(userId: string): Promise<Wallet[]>;
  addWallet(wallet: Wallet, maxWallets: number, chatId?: string): Promise<void>;
  removeWallet(userId: string, walletId: string): Promise<Wallet>;
  markSynced(userId: string, walletIds: readonly string[], syncedAt: string): Promise<void>;
  /** Sets (a slot) or clears (undefined) the wallet's pending-empty mark; a deleted wallet is ignored. */
  markPendingEmpty(userId: string, walletId: string, since: string | undefined): Promise<void>;
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

  /** Rewrites the user item from the wallet list under a version condition (optimistic locking). */
  const userWrite = (userId: string, wallets: readonly Wallet[], current: Record<string, unknown> | undefined, at: string, chatId?: string) => {
    const version = typeof current?.version === 'number' ? current.version : 0;
    const lastSyncedAt = current?.lastSyncedAt as string | undefined;
    const item: Record<string, unknown> = {
      ...keys.user(userId),
      entity: 'user',
      userId,
      chatId: chatId ?? current?.chatId,
      walletAddresses: [...new Set(wallets.map((wallet) => wallet.address))],
      // Chains per address let the fan-out price a user in OKX calls (ceil(chains / 50) per address).
      walletChains: chainsByAddress(wallets),
      walletCount: wallets.length,
      lastSyncedAt,
      createdAt: current?.createdAt ?? at,
      updatedAt: at,
      version: version + 1,
      ...(wallets.length > 0 ? keys.due(userId, lastSyncedAt) : {}),
    };
    return {
      Put: {
        TableName: tableName,
        Item: item,
        ConditionExpression: current ? '#version = :version' : 'attribute_not_exists(pk)',
        ...(current ? { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': version } } : {}),
      },
    };
  };

  return {
    async getUser(userId) {
      const item = await readUser(userId);
      return item ? toProfile(item) : undefined;
    },
    listWallets,
    async addWallet(wallet, maxWallets, chatId) {
      const [current, wallets] = await Promise.all([readUser(wallet.userId), listWallets(wallet.userId)]);
      if (wallets.some((existing) => existing.address === wallet.address)) throw new WalletWriteConflictError('duplicate');
      if (wallets.length >= maxWallets) throw new WalletWriteConflictError('limit');
      const walletItem = { ...keys.wallet(wallet.userId, wallet.walletId), entity: 'wallet', ...wallet, createdAt: wallet.addedAt, updatedAt: wallet.addedAt };
      await transact(doc, [
        { Put: { TableName: tableName, Item: walletItem, ConditionExpression: 'attribute_not_exists(pk)' } },
        userWrite(wallet.userId, [...wallets, wallet], current, wallet.addedAt, chatId),
      ]);
    },
    async removeWallet(userId, walletId) {
      const [current, wallets] = await Promise.all([readUser(userId), listWallets(userId)]);
      const wallet = wallets.find((candidate) => candidate.walletId === walletId);
      if (!wallet) throw new WalletWriteConflictError('missing');
      const remaining = wallets.filter((candidate) => candidate.walletId !== walletId);
      await transact(doc, [
        { Delete: { TableName: tableName, Key: keys.wallet(userId, walletId), ConditionExpression: 'attribute_exists(pk)' } },
        userWrite(userId, remaining, current, new Date().toISOString()),
      ]);
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
      const due = keys.due(userId, syncedAt);
      await doc
        .send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.user(userId),
            UpdateExpression: 'SET lastSyncedAt = :at, updatedAt = :at, gsi1pk = :gpk, gsi1sk = :gsk ADD #version :one',
            ConditionExpression: 'attribute_exists(pk) AND walletCount > :zero',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':at': syncedAt, ':gpk': due.gsi1pk, ':gsk': due.gsi1sk, ':one': 1, ':zero': 0 },
          }),
        )
        .catch(ignoreConditionFailure);
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
          UpdateExpression: 'SET entity = :entity, allocation = :allocation, updatedAt = :at, createdAt = if_not_exists(createdAt, :at)',
          ExpressionAttributeValues: { ':entity': 'target', ':allocation': target, ':at': at },
        }),
      );
    },
  };
}

async function transact(doc: DynamoDBDocumentClient, items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>) {
  try {
    await doc.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) throw new WalletWriteConflictError('concurrent', { cause: error });
    throw error;
  }
}

function chainsByAddress(wallets: readonly Wallet[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const wallet of wallets) counts[wallet.address] = Math.max(counts[wallet.address] ?? 0, wallet.chains.length);
  return counts;
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
  };
}

function toProfile(item: Record<string, unknown>): UserProfile {
  const lastSyncedAt = item.lastSyncedAt as string | undefined;
  return {
    userId: item.userId as string,
    chatId: item.chatId as string | undefined,
    walletAddresses: (item.walletAddresses as string[] | undefined) ?? [],
    walletCount: (item.walletCount as number | undefined) ?? 0,
    lastSyncedAt: lastSyncedAt === NEVER_SYNCED ? undefined : lastSyncedAt,
    version: (item.version as number | undefined) ?? 0,
  };
}
