import type { DueUser } from './due-index-store';

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
 * Requests per address the last cycle really sent (retries and bisection probes included): its
 * `okxRequests` over the distinct addresses it planned for. Undefined when it left no measurement.
 */
export function measuredRequestsPerAddress(
  measured: { okxRequests: number; distinctAddresses: number } | undefined,
): number | undefined {
  if (!measured || measured.distinctAddresses <= 0 || measured.okxRequests <= 0) return undefined;
  return measured.okxRequests / measured.distinctAddresses;
}

/**
 * Prices users in OKX requests for one cycle: ceil(chains / 50) per distinct address, and an address
 * already paid for by an earlier user this cycle is free (the worker's per-slot balance cache serves it).
 * Without a per-address chain count on the user item, an address costs one request (≤ 50 chains).
 * With a measured cost per address from the last cycle, an address costs the larger of the two: failing
 * chains (retries, probes) make the measured figure higher, and the plan follows what is really sent.
 */
export function createCycleCostCounter(measuredPerAddress?: number) {
  const counted = new Set<string>();
  return {
    costOf(user: DueUser): number {
      const fresh = new Set(user.walletAddresses.filter((address) => !counted.has(address)));
      let cost = 0;
      for (const address of fresh) {
        const estimate = Math.max(1, Math.ceil((user.chainsByAddress?.[address] ?? 1) / CHAINS_PER_REQUEST));
        cost += Math.max(estimate, measuredPerAddress ?? 0);
      }
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
