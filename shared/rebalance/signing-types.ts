import type { OkxClient } from '../platform/okx/okx-client';
import type { PlanStore, StoredPlan } from './plan-store';
import type { RouterAllowlist } from './router-allowlist';
import type { SettingsStore } from './settings-store';

/** The OKX calls of the signing flow (the OKX client satisfies it; tests pass a fake). */
export type SigningMarket = Pick<
  OkxClient,
  | 'getApproveTransaction'
  | 'checkApprovals'
  | 'getSwap'
  | 'simulate'
  | 'broadcast'
  | 'getOrderStatus'
  | 'getSwapHistory'
>;

export interface SigningDeps {
  readonly plans: PlanStore;
  readonly market: SigningMarket;
  readonly settings: Pick<SettingsStore, 'get'>;
  /** DRY_RUN_MODE: nothing is ever prepared or broadcast. */
  readonly dryRun: boolean;
  readonly routers: RouterAllowlist;
  readonly now: () => Date;
  readonly newStepId?: () => string;
  /**
   * The tracker's next look at the plan, off the request path (a delayed `track-plan` message on the sync queue);
   * without it nothing is scheduled (tests of other parts).
   */
  readonly scheduleTracking?: (plan: StoredPlan, delaySeconds: number, attempt: number) => Promise<void>;
}

export type SigningErrorCode =
  | 'bad-request'
  | 'wrong-wallet'
  | 'not-found'
  | 'expired'
  | 'already-submitted'
  | 'intent-mismatch'
  | 'not-live'
  | 'wait'
  | 'leg-done'
  | 'signed-mismatch'
  | 'unsupported-chain'
  | 'okx-billing'
  | 'okx-error'
  | 'broadcast-rejected';

/** A refusal the page shows as is: HTTP status, code, a plain-words message and extra fields (spec: Mini App API). */
export class SigningRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: SigningErrorCode,
    message: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'SigningRefusal';
  }
}

export function isSigningRefusal(error: unknown): error is SigningRefusal {
  return error instanceof SigningRefusal;
}

/** The signing window: prepare and broadcast are refused this long after the plan awaits a signature. */
export const SIGNING_WINDOW_MS = 15 * 60_000;
/** The page's polls refresh a plan from OKX at most this often. */
export const REFRESH_GAP_MS = 3000;

/**
 * The tracker's next look is best effort on the request path: the transaction is already sent, so a queue hiccup
 * must not turn the answer into an error; the page's polls look again (and re-schedule the report) meanwhile.
 */
export async function scheduleSafely(deps: SigningDeps, plan: StoredPlan, delaySeconds: number): Promise<void> {
  await deps.scheduleTracking?.(plan, delaySeconds, 0).catch(() => undefined);
}
