import { QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Holding } from '../../domain/types';
import { keys } from './keys';

/** A holding at rest: the sync time lives on the wallet item, so an unchanged balance is never rewritten. */
export type StoredHolding = Omit<Holding, 'syncedAt'> & { readonly createdAt?: string };

export interface WalletHoldingsUpdate {
  readonly userId: string;
  readonly walletId: string;
  /** Chains that answered: their holdings are replaced by `holdings`. */
  readonly answeredChains: readonly string[];
  readonly holdings: readonly StoredHolding[];
  /** Chains that failed: their last good holdings are kept and marked stale since `at`. */
  readonly failedChains: readonly string[];
  readonly at: string;
}

export interface HoldingsStore {
  listHoldings(userId: string): Promise<StoredHolding[]>;
  /** Applies one wallet's update; returns the number of items written or deleted. */
  replaceWalletHoldings(update: WalletHoldingsUpdate, existing: readonly StoredHolding[]): Promise<number>;
  deleteWalletHoldings(userId: string, walletId: string, existing: readonly StoredHolding[]): Promise<number>;
}

/** DynamoDB allows 100 actions per transaction; a wallet with more holdings is written in chunks. */
const TRANSACTION_LIMIT = 100;

const CONTENT_FIELDS = ['symbol', 'name', 'decimals', 'rawBalance', 'balance', 'priceUsd', 'isRiskToken', 'assetId', 'sector', 'walletAddress', 'staleSince'] as const;

export function createHoldingsStore(doc: DynamoDBDocumentClient, tableName: string): HoldingsStore {
  const write = async (actions: Record<string, unknown>[]) => {
    for (let start = 0; start < actions.length; start += TRANSACTION_LIMIT) {
      await doc.send(new TransactWriteCommand({ TransactItems: actions.slice(start, start + TRANSACTION_LIMIT) }));
    }
    return actions.length;
  };

  return {
    async listHoldings(userId) {
      const items: StoredHolding[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await doc.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': keys.holdingsOfUser(userId).pk, ':prefix': 'holding#' },
            ExclusiveStartKey: startKey,
            ConsistentRead: true,
          }),
        );
        items.push(...(page.Items ?? []).map(toStoredHolding));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },

    async replaceWalletHoldings(update, existing) {
      const mine = existing.filter((holding) => holding.walletId === update.walletId);
      const answered = new Set(update.answeredChains);
      const failed = new Set(update.failedChains);
      const actions: Record<string, unknown>[] = [];
      const freshKeys = new Set(update.holdings.map(holdingKeyOf));
      const previous = new Map(mine.map((holding) => [holdingKeyOf(holding), holding]));
      for (const holding of update.holdings) {
        const before = previous.get(holdingKeyOf(holding));
        if (before && isSameContent(before, holding)) continue;
        actions.push({ Put: { TableName: tableName, Item: toItem(holding, before ? undefined : update.at, update.at) } });
      }
      for (const holding of mine) {
        if (answered.has(holding.chainIndex) && !freshKeys.has(holdingKeyOf(holding))) {
          actions.push({ Delete: { TableName: tableName, Key: keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress) } });
        } else if (failed.has(holding.chainIndex) && !holding.staleSince) {
          actions.push({ Put: { TableName: tableName, Item: toItem({ ...holding, staleSince: update.at }, undefined, update.at) } });
        }
      }
      return write(actions);
    },

    async deleteWalletHoldings(userId, walletId, existing) {
      const actions = existing
        .filter((holding) => holding.walletId === walletId)
        .map((holding) => ({ Delete: { TableName: tableName, Key: keys.holding(userId, walletId, holding.chainIndex, holding.tokenAddress) } }));
      return write(actions);
    },
  };
}

function holdingKeyOf(holding: StoredHolding): string {
  return `${holding.walletId}#${holding.chainIndex}#${holding.tokenAddress}`;
}

function isSameContent(a: StoredHolding, b: StoredHolding): boolean {
  return CONTENT_FIELDS.every((field) => a[field] === b[field]);
}

function toItem(holding: StoredHolding, createdAt: string | undefined, updatedAt: string): Record<string, unknown> {
  return {
    ...keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress),
    entity: 'holding',
    ...holding,
    createdAt: createdAt ?? holding.createdAt ?? updatedAt,
    updatedAt,
  };
}

function toStoredHolding(item: Record<string, unknown>): StoredHolding {
  return {
    userId: item.userId as string,
    walletId: item.walletId as string,
    walletAddress: item.walletAddress as string,
    chainIndex: item.chainIndex as string,
    tokenAddress: item.tokenAddress as string,
    symbol: item.symbol as string,
    name: item.name as string | undefined,
    decimals: item.decimals as number | undefined,
    rawBalance: item.rawBalance as string | undefined,
    balance: item.balance as string,
    priceUsd: item.priceUsd as string | undefined,
    isRiskToken: item.isRiskToken as boolean,
    assetId: item.assetId as string,
    sector: item.sector as Holding['sector'],
    staleSince: item.staleSince as string | undefined,
    createdAt: item.createdAt as string | undefined,
  };
}
