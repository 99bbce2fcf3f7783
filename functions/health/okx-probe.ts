import type { MarketDataPort } from '../../shared/platform/okx/market-data-port';

export interface OkxHealth {
  readonly reachable: boolean;
  /** True when this answer came from the cache rather than a fresh call. */
  readonly cached: boolean;
  readonly checkedAt: string;
  /** Error class name of a failed check; never the message (it could echo request details). */
  readonly error?: string;
}

export interface OkxProbeOptions {
  readonly market: Pick<MarketDataPort, 'getSupportedChains'>;
  readonly now: () => Date;
  /** @default 60 s: health polling must not eat the OKX budget */
  readonly okTtlMs?: number;
  /** @default 10 s: a failure is re-checked sooner */
  readonly failureTtlMs?: number;
}

/** A cheap OKX call (the supported-chains list), cached per container; concurrent checks share one call. */
export function createOkxProbe(options: OkxProbeOptions) {
  let last: { result: OkxHealth; expiresAt: number } | undefined;
  let inFlight: Promise<OkxHealth> | undefined;

  const probe = async (): Promise<OkxHealth> => {
    const checkedAt = options.now();
    try {
      await options.market.getSupportedChains();
      const result = { reachable: true, cached: false, checkedAt: checkedAt.toISOString() };
      last = { result, expiresAt: checkedAt.getTime() + (options.okTtlMs ?? 60_000) };
      return result;
    } catch (error) {
      const result = {
        reachable: false,
        cached: false,
        checkedAt: checkedAt.toISOString(),
        error: (error as Error).name,
      };
      last = { result, expiresAt: checkedAt.getTime() + (options.failureTtlMs ?? 10_000) };
      return result;
    }
  };

  return async (): Promise<OkxHealth> => {
    if (last && last.expiresAt > options.now().getTime()) return { ...last.result, cached: true };
    inFlight ??= probe().finally(() => (inFlight = undefined));
    return inFlight;
  };
}
