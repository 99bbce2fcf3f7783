import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Holding } from '../kernel/types';
import { chunk } from '../platform/helpers';
import { queryAll, transactDroppingRefused, type OptionalTransactItem } from '../platform/dynamo/dynamo-ops';
import { keys } from '../platform/dynamo/keys';

/**
 * A holding at rest: the sync time lives on the wallet item and the price in the price store (one item per
 * token and slot, see `priceHoldings` in price-store.ts), so a holding is rewritten only when its balance (or another
 * non-price field) changes. Only a stale holding keeps a price of its own: the last one known when its
 * chain failed. Read back, `priceUsd` is therefore set on stale holdings only until `priceHoldings` runs.
 */
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
  /** Holding items written or deleted. */
  readonly written: number;
  /**
   * The user's holdings after the update (in no particular order): as a consistent re-read would return
   * them, with the prices of the update on the fresh ones.
   */
  readonly holdings: StoredHolding[];
}

/** Several wallets' updates worked out, not yet written. */
export interface HoldingsPlan {
  /** The user's holdings once written, as `HoldingsReplacement.holdings`. */
  readonly holdings: StoredHolding[];
  /** One list of writes per wallet. */
  readonly perWallet: readonly (readonly WriteAction[])[];
}

export interface HoldingsStore {
  listHoldings(userId: string): Promise<StoredHolding[]>;
  /** Applies one wallet's update; returns the number of items written or deleted. */
  replaceWalletHoldings(update: WalletHoldingsUpdate, existing: readonly StoredHolding[]): Promise<number>;
  /** `planHoldings` then `writeHoldings`. */
  replaceHoldings(
    updates: readonly WalletHoldingsUpdate[],
    existing: readonly StoredHolding[],
  ): Promise<HoldingsReplacement>;
  /** Several wallets' updates of one user: what to write (unchanged holdings are not) and the holdings after. */
  planHoldings(updates: readonly WalletHoldingsUpdate[], existing: readonly StoredHolding[]): HoldingsPlan;
  /**
   * Writes a plan, each wallet atomically: wallets are packed together into as few transactions as fit,
   * a wallet is never split unless it alone exceeds one transaction. `alongside` (e.g. the sync's snapshot
   * and wallet marks) goes in the last transaction when it fits there, else in one of its own after the
   * holdings; an item of it whose condition fails is left out (with the items depending on it), the rest
   * is written. Returns the holding items written and the indexes of the `alongside` items left out.
   */
  writeHoldings(
    plan: HoldingsPlan,
    alongside?: readonly OptionalTransactItem[],
  ): Promise<{ written: number; refused: ReadonlySet<number> }>;
  deleteWalletHoldings(userId: string, walletId: string, existing: readonly StoredHolding[]): Promise<number>;
}

type WriteAction = Record<string, unknown>;

/** DynamoDB allows 100 actions per transaction; a wallet with more holdings is written in chunks. */
const TRANSACTION_LIMIT = 100;

/** What makes a holding item differ: never its price, which lives in the price store. */
const CONTENT_FIELDS = [
  'symbol',
  'name',
  'decimals',
  'rawBalance',
  'balance',
  'isRiskToken',
  'assetId',
  'sector',
  'walletAddress',
  'staleSince',
] as const;

export function createHoldingsStore(doc: DynamoDBDocumentClient, tableName: string): HoldingsStore {
  const write = async (actions: readonly WriteAction[]) => {
    for (const batch of chunk(actions, TRANSACTION_LIMIT))
      await doc.send(new TransactWriteCommand({ TransactItems: batch }));
    return actions.length;
  };

  const planHoldings = (updates: readonly WalletHoldingsUpdate[], existing: readonly StoredHolding[]): HoldingsPlan => {
    const updated = new Set(updates.map((update) => update.walletId));
    const plans = updates.map((update) => planWalletUpdate(tableName, update, existing));
    return {
      holdings: [
        ...existing.filter((holding) => !updated.has(holding.walletId)),
        ...plans.flatMap((plan) => plan.holdings),
      ],
      perWallet: plans.map((plan) => plan.actions),
    };
  };

  const writeHoldings = async (plan: HoldingsPlan, alongside: readonly OptionalTransactItem[] = []) => {
    const groups = packTransactions(plan.perWallet);
    // The last group carries `alongside` when both fit in one transaction: one round trip fewer.
    const last =
      groups.length > 0 && groups.at(-1)!.length + alongside.length <= TRANSACTION_LIMIT ? groups.pop()! : [];
    let written = 0;
    for (const group of groups) written += await write(group);
    const refused = new Set<number>();
    if (last.length + alongside.length > 0) {
      const shifted = alongside.map((entry) =>
        entry.dependsOn === undefined ? entry : { ...entry, dependsOn: entry.dependsOn + last.length },
      );
      const left = await transactDroppingRefused(doc, [...last.map((item) => ({ item })), ...shifted]);
      for (const index of left) refused.add(index - last.length);
      written += last.length;
    }
    return { written, refused };
  };

  const replaceHoldings = async (
    updates: readonly WalletHoldingsUpdate[],
    existing: readonly StoredHolding[],
  ): Promise<HoldingsReplacement> => {
    const plan = planHoldings(updates, existing);
    return { written: (await writeHoldings(plan)).written, holdings: plan.holdings };
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
    planHoldings,
    writeHoldings,
    replaceWalletHoldings: async (update, existing) => (await replaceHoldings([update], existing)).written,

    async deleteWalletHoldings(userId, walletId, existing) {
      const actions = existing
        .filter((holding) => holding.walletId === walletId)
        .map((holding) => ({
          Delete: {
            TableName: tableName,
            Key: keys.holding(userId, walletId, holding.chainIndex, holding.tokenAddress),
          },
        }));
      return write(actions);
    },
  };
}

/**
 * One wallet's writes, and its holdings as they will be afterwards: answered chains take the fresh
 * holdings (unchanged ones are not rewritten), failed chains keep theirs marked stale, other chains stay.
 */
function planWalletUpdate(
  tableName: string,
  update: WalletHoldingsUpdate,
  existing: readonly StoredHolding[],
): { actions: WriteAction[]; holdings: StoredHolding[] } {
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
    // Unchanged but for its price: not rewritten, and valued at this update's price.
    if (before && isSameContent(before, holding)) after.push({ ...holding, createdAt: before.createdAt });
    else put({ ...holding, createdAt: before?.createdAt ?? update.at });
  }
  for (const holding of mine) {
    if (freshKeys.has(holdingKeyOf(holding))) continue;
    if (answered.has(holding.chainIndex))
      actions.push({
        Delete: {
          TableName: tableName,
          Key: keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress),
        },
      });
    else if (failed.has(holding.chainIndex) && !holding.staleSince) put({ ...holding, staleSince: update.at });
    else after.push(holding);
  }
  return { actions, holdings: after };
}

/** Groups per-wallet action lists into transactions of at most TRANSACTION_LIMIT, keeping each wallet whole when it fits. */
function packTransactions(perWallet: readonly (readonly WriteAction[])[]): WriteAction[][] {
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
  const { priceUsd, ...fields } = holding;
  return {
    ...keys.holding(holding.userId, holding.walletId, holding.chainIndex, holding.tokenAddress),
    entity: 'holding',
    ...fields,
    // A stale holding keeps the last price it had; a fresh one is valued from the price store.
    ...(holding.staleSince !== undefined && priceUsd !== undefined ? { priceUsd } : {}),
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
    // Items written before prices left them carry one: only a stale holding's own price is meaningful.
    priceUsd: item.staleSince === undefined ? undefined : (item.priceUsd as string | undefined),
    isRiskToken: item.isRiskToken as boolean,
    assetId: item.assetId as string,
    sector: item.sector as Holding['sector'],
    staleSince: item.staleSince as string | undefined,
    createdAt: item.createdAt as string | undefined,
  };
}
