import type { DueUser } from '../../shared/adapters/dynamo/due-index-store';

/** OKX balance calls take up to 50 chains each. */
export const CHAINS_PER_REQUEST = 50;

export interface BudgetSettings {
  readonly requestsPerSecond: number;
  readonly cycleSeconds: number;
  /** Share of the OKX budget the sync may use; the rest is left to the bot and health checks. */
  readonly safetyShare: number;
}

export function computeCycleBudget(settings: BudgetSettings): number {
  return Math.floor(settings.requestsPerSecond * settings.cycleSeconds * settings.safetyShare);
}

/**
 * Prices users in OKX requests for one cycle: ceil(chains / 50) per distinct address, and an address
 * already paid for by an earlier user this cycle is free (the worker's per-slot balance cache serves it).
 * Without a per-address chain count on the user item, an address costs one request (≤ 50 chains).
 */
export function createCycleCostCounter() {
  const counted = new Set<string>();
  return {
    costOf(user: DueUser): number {
      const fresh = new Set(user.walletAddresses.filter((address) => !counted.has(address)));
      let cost = 0;
      for (const address of fresh) cost += Math.max(1, Math.ceil((user.chainsByAddress?.[address] ?? 1) / CHAINS_PER_REQUEST));
      return cost;
    },
    commit(user: DueUser): void {
      for (const address of user.walletAddresses) counted.add(address);
    },
    get distinctAddresses(): number {
      return counted.size;
    },
  };
}
