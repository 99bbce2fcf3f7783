import { DUE_SHARD_NUMBERS, type DueIndexStore } from '../../shared/wallets/portfolio-store';

export interface StaleCount {
  readonly users: number;
  readonly wallets: number;
  /** True when the read bound stopped the count: the real numbers are higher. */
  readonly capped: boolean;
}

/**
 * Users (and their wallets) not synced since `syncedBefore`: a bounded query of the due index per
 * shard. Stale users sort first, so a healthy system reads almost nothing; an unhealthy one reads at
 * most `capPerShard` users per shard.
 */
export async function countStaleWallets(
  due: Pick<DueIndexStore, 'listDueUsers'>,
  syncedBefore: string,
  capPerShard: number,
): Promise<StaleCount> {
  const perShard = await Promise.all(
    DUE_SHARD_NUMBERS.map(async (shard) => {
      let users = 0;
      let wallets = 0;
      let cursor: string | undefined;
      do {
        const page = await due.listDueUsers(shard, { limit: capPerShard - users, cursor, syncedBefore });
        users += page.users.length;
        wallets += page.users.reduce((sum, user) => sum + user.walletCount, 0);
        cursor = page.cursor;
      } while (cursor && users < capPerShard);
      return { users, wallets, capped: cursor !== undefined };
    }),
  );
  return {
    users: perShard.reduce((sum, shard) => sum + shard.users, 0),
    wallets: perShard.reduce((sum, shard) => sum + shard.wallets, 0),
    capped: perShard.some((shard) => shard.capped),
  };
}
