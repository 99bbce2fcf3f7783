import { createHash } from 'node:crypto';

/**
 * The one key-builder module. Generic `pk`/`sk`, human prefixes, lower-case values (Solana
 * addresses are case-sensitive and kept as given). Every item also carries `entity`,
 * `createdAt` and `updatedAt`.
 */
export const DUE_SHARDS = 4;
export const NEVER_SYNCED = '0000-00-00T00:00:00.000Z';

export const keys = {
  // portfolios table
  user: (userId: string) => ({ pk: `user#${userId}`, sk: 'profile' }),
  wallet: (userId: string, walletId: string) => ({ pk: `user#${userId}`, sk: `wallet#${walletId}` }),
  walletPrefix: (userId: string) => ({ pk: `user#${userId}`, skPrefix: 'wallet#' }),
  /** Marker that keeps an address unique among one user's wallets (holds the walletId). */
  walletAddress: (userId: string, address: string) => ({ pk: `user#${userId}`, sk: `address#${address}` }),
  target: (userId: string) => ({ pk: `user#${userId}`, sk: 'target' }),
  /** Write-sharded "due for sync" index: oldest lastSyncedAt first within each shard. */
  due: (userId: string, lastSyncedAt: string | undefined) => ({
    gsi1pk: `due#${dueShard(userId)}`,
    gsi1sk: `${lastSyncedAt ?? NEVER_SYNCED}#${userId}`,
  }),
  dueShardKey: (shard: number) => `due#${shard}`,
  /** The user's digest choice; its gsi1 keys (`digestIndex`) put it in the digest index while it is on. */
  digest: (userId: string) => ({ pk: `user#${userId}`, sk: 'digest' }),
  /** Write-sharded digest index on gsi1: next due instant (UTC, on the hour) first within each shard. */
  digestIndex: (userId: string, nextDueAt: string) => ({
    gsi1pk: `digest#${dueShard(userId)}`,
    gsi1sk: `${nextDueAt}#${userId}`,
  }),
  digestShardKey: (shard: number) => `digest#${shard}`,

  // holdings table: one item per user x wallet x chain x token
  holdingsOfUser: (userId: string) => ({ pk: `user#${userId}`, skPrefix: 'holding#' }),
  holding: (userId: string, walletId: string, chainIndex: string, tokenAddress: string) => ({
    pk: `user#${userId}`,
    sk: `holding#${walletId}#${chainIndex}#${tokenAddress === '' ? 'native' : tokenAddress}`,
  }),

  // prices table
  price: (chainIndex: string, tokenAddress: string, slot: string) => ({
    pk: `price#${chainIndex}#${tokenAddress === '' ? 'native' : tokenAddress}`,
    sk: `slot#${slot}`,
  }),

  /** One address's balances for one sync slot, shared by every user who tracks that address. */
  balanceCache: (address: string, slot: string) => ({ pk: `balances#${address}`, sk: `slot#${slot}` }),
  /** Page 1.. of that cache entry (page 0 is `balanceCache` itself and holds the page count). */
  balanceCachePage: (address: string, slot: string, page: number) => ({
    pk: `balances#${address}`,
    sk: `slot#${slot}#page#${page}`,
  }),

  // snapshots table
  snapshot: (userId: string, resolution: SnapshotResolution, slot: string) => ({
    pk: `user#${userId}`,
    sk: `snap#${resolution}#${slot}`,
  }),

  // sessions table
  telegramUpdate: (updateId: number) => ({ pk: `update#${updateId}`, sk: 'update' }),
  rebalancePlan: (planId: string) => ({ pk: `plan#${planId}`, sk: 'plan' }),
  conversation: (userId: string) => ({ pk: `user#${userId}`, sk: 'conversation' }),
  /** Beside the conversation state under `user#<id>`. */
  settings: (userId: string) => ({ pk: `user#${userId}`, sk: 'settings' }),
  /** Alerts (issue 14), beside the settings under `user#<id>`: one Query of the `alert` prefix reads them all. */
  alertPrefix: (userId: string) => ({ pk: `user#${userId}`, skPrefix: 'alert' }),
  alertSettings: (userId: string) => ({ pk: `user#${userId}`, sk: 'alert-settings' }),
  /** One open episode of one rule for one subject (asset, chain, wallet, …). */
  alertState: (userId: string, rule: string, subject: string) => ({
    pk: `user#${userId}`,
    sk: `alert#${rule}#${subject}`,
  }),
  /** Alerts sent on one local day of the user's (the daily cap). */
  alertDay: (userId: string, localDate: string) => ({ pk: `user#${userId}`, sk: `alert-day#${localDate}` }),
  syncLease: (userId: string) => ({ pk: `lease#user#${userId}`, sk: 'lease' }),
  syncCycle: (cycleId: string) => ({ pk: `cycle#${cycleId}`, sk: 'cycle' }),
  rateWindow: (scope: string, window: string) => ({ pk: `rate#${scope}`, sk: `window#${window}` }),
  /** A shared pacer's next free send time (`shared-pacer-store.ts`). */
  ratePace: (scope: string) => ({ pk: `rate#${scope}`, sk: 'pace' }),
  /** One notification's delivery record: sent at most once per id. */
  notificationDelivery: (id: string) => ({ pk: `notification#${id}`, sk: 'delivery' }),
} as const;

export type SnapshotResolution = '10m' | '1h' | '1d';

export function dueShard(userId: string): number {
  return createHash('sha256').update(userId).digest()[0]! % DUE_SHARDS;
}

/** Epoch seconds for a TTL attribute. */
export function ttlAfter(nowMs: number, seconds: number): number {
  return Math.floor(nowMs / 1000) + seconds;
}
