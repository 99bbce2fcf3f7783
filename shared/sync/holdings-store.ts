import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Holding } from '../kernel/types';
import { chunk } from '../platform/chunk';
import { queryAll } from '../platform/dynamo/query-all';
import { keys } from '../platform/dynamo/keys';

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

export interface HoldingsReplacement {
  /** Items written or deleted. */
  readonly written: number;
  /** The user's holdings after the update, as a consistent re-read would return them (in no particular order). */
  readonly holdings: StoredHolding[];
}

export interface HoldingsStore {
  listHoldings(userId: string): Promise<StoredHolding[]>;
  /** Applies one wallet's update; returns the number of items written or deleted. */
  replaceWalletHoldings(update: WalletHoldingsUpdate, existing: readonly StoredHolding[]): Promise<number>;
  /**
   * Applies several wallets' updates of one user, each wallet atomically: wallets are packed together
   * into as few transactions as fit, a wallet is never split unless it alone exceeds one transaction.
   */
  replaceHoldings(updates: readonly WalletHoldingsUpdate[], existing: readonly StoredHolding[]): Promise<HoldingsReplacement>;
  deleteWalletHoldings(userId: string, walletId: string, existing: readonly StoredHolding[]): Promise<number>;
}

type WriteAction = Record<string, unknown>;

/** DynamoDB allows 100 actions per transaction; a wallet with more holdings is written in chunks. */
const TRANSACTION_LIMIT = 100;

const CONTENT_FIELDS = ['symbol', 'name', 'decimals', 'rawBalance', 'balance', 'priceUsd', 'isRiskToken', 'assetId', 'sector', 'walletAddress', 'staleSince'] as const;

export function createHoldingsStore(doc: DynamoDBDocumentClient, tableName: string): HoldingsStore {
  const write = async (actions: readonly WriteAction[]) => {
    for (const batch of chunk(actions, TRANSACTION_LIMIT)) await doc.send(new TransactWriteCommand({ TransactItems: batch }));
    return actions.length;
  };

  const replaceHoldings = async (updates: readonly WalletHoldingsUpdate[], existing: readonly StoredHolding[]): Promise<HoldingsReplacement> => {
    const updated = new Set(updates.map((update) => update.walletId));
    const plans = updates.map((update) => planWalletUpdate(tableName, update, existing));
    let written = 0;
    for (const group of packTransactions(plans.map((plan) => plan.actions))) written += await write(group);
    return { written, holdings: [...existing.filter((holding) => !updated.has(holding.walletId)), ...plans.flatMap((plan) => plan.holdings)] };
  };

  return {
    async listHoldings(userId) {
      const prefix = keys.holdingsOfUser(userId);
      const items = await queryAll(doc, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':prefix': prefix.skPrefix },
        ConsistentRead: true,
      });
      return items.map(toStoredHolding);
    },

    replaceHoldings,
    replaceWalletHoldings: async (update, existing) => (await replaceHoldings([update], existing)).written,

    async deleteWalletHoldings(userId, walletId, existing) {
      const actions = existing
        .filter((holding) => holding.walletId === walletId)
        .map((holding) => ({ Delete: { TableName: tableName, Key: keys.holding(userId, walletId, holding.chainIndex, holding.tokenAddress) } }));
      return write(actions);
    },
  };
}

/**
 * One wallet's writes, and its holdings as they will be afterwards: answered chains take the fresh
 * holdings (unchanged ones are not rewritten), failed chains keep theirs marked stale, other chains stay.
 */
function planWalletUpdate(tableName: string, update: WalletHoldingsUpdate, existing: readonly StoredHolding[]): { actions: WriteAction[]; holdings: StoredHolding[] } {
  const mine = existing.filter((holding) => holding.walletId === update.walletId);
  const answered = new Set(update.answeredChains);
  const failed = new Set(update.failedChains);
  const actions: WriteAction[] = [];
  const after: StoredHolding[] = [];
  const freshKeys = new Set(update.holdings.map(holdingKeyOf));
  const previous = new Map(mine.map((holding) => [holdingKeyOf(holding), holding]));
  const put = (holding: StoredHolding) => {
    after.push(holding);
    actions.push({ Put: { TableName: tableName, Item: toItem(holding, update.at) } });
  };
  for (const holding of update.holdings) {
    const before = previous.get(holdingKeyOf(holding));
    if (before && isSameContent(before, holding)) after.push(before);
    else put({ ...holding, createdAt: before?.createdAt ?? update.at });
  }
  for (const holding of mine) {
    if (freshKeys.has(holdingKeyOf(holding))) continue;
    if (answered.has(holding.chainIndex)) actions.push({ Delete: { TableName: tableName, Key: keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress) } });
    else if (failed.has(holding.chainIndex) && !holding.staleSince) put({ ...holding, staleSince: update.at });
    else after.push(holding);
  }
  return { actions, holdings: after };
}

/** Groups per-wallet action lists into transactions of at most TRANSACTION_LIMIT, keeping each wallet whole when it fits. */
function packTransactions(perWallet: readonly WriteAction[][]): WriteAction[][] {
  const groups: WriteAction[][] = [];
  let current: WriteAction[] = [];
  for (const actions of perWallet) {
    if (current.length + actions.length > TRANSACTION_LIMIT && current.length > 0) {
      groups.push(current);
      current = [];
    }
    current = [...current, ...actions];
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function holdingKeyOf(holding: StoredHolding): string {
  return `${holding.walletId}#${holding.chainIndex}#${holding.tokenAddress}`;
}

function isSameContent(a: StoredHolding, b: StoredHolding): boolean {
  return CONTENT_FIELDS.every((field) => a[field] === b[field]);
}

function toItem(holding: StoredHolding, updatedAt: string): Record<string, unknown> {
  return {
    ...keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress),
    entity: 'holding',
    ...holding,
    createdAt: holding.createdAt ?? updatedAt,
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
