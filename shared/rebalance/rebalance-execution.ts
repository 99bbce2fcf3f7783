import { randomBytes } from 'node:crypto';
import type { PlanState, PlanStore, QuotedLeg, StoredPlan } from './plan-store';
import type { SettingsStore } from './settings-store';
import { toDecimal } from '../kernel/decimal';
import type { RebalanceLeg, RebalancePlan } from '../kernel/types';
import type { LegExecution } from './execution-rules';
import { SIGNING_WINDOW_MS } from './signing-types';

/** The user's wallet that holds the leg's `from` token on that chain (the signer of the swap). */
export type WalletFinder = (userId: string, chainIndex: string) => Promise<string | undefined>;
import type { RebalanceMarket } from './rebalance-market';
import { projectAllocation, quoteLeg, revalueAllocation, type LegQuoteResult } from './rebalance-quotes';

export const DEFAULT_SLIPPAGE_PERCENT = '1';
export const QUOTE_TTL_MS = 5 * 60_000;
/**
 * Legs quoted per plan (each is one OKX quote, and again on Confirm): the largest by value; the rest are
 * listed as dropped with OVER_LEG_CAP and come up again in the next plan, once these are traded.
 */
export const MAX_QUOTED_LEGS = 4;
export const OVER_LEG_CAP = `not quoted this time: a plan quotes at most ${MAX_QUOTED_LEGS} trades, the largest first; rebalance again after these`;

export interface RebalanceExecutionDeps {
  readonly market: RebalanceMarket;
  readonly plans: PlanStore;
  readonly settings: SettingsStore;
  readonly now: () => Date;
  /** DRY_RUN_MODE: when true nothing is ever built for signing, whatever the user chose. */
  readonly dryRun: boolean;
  readonly findWallet: WalletFinder;
  readonly newPlanId?: () => string;
}

export type Refusal =
  | { readonly kind: 'expired' }
  | { readonly kind: 'not-yours' }
  | { readonly kind: 'in-progress' }
  | { readonly kind: 'already-done'; readonly state: PlanState };

export type ClaimOutcome = Refusal | { readonly kind: 'claimed'; readonly plan: StoredPlan };

export type ExecuteOutcome =
  | { readonly kind: 'requoted'; readonly previous: StoredPlan; readonly plan: StoredPlan }
  | { readonly kind: 'simulated'; readonly plan: StoredPlan }
  | { readonly kind: 'awaiting-signature'; readonly plan: StoredPlan };

export type ConfirmOutcome = Refusal | ExecuteOutcome;

export type CancelOutcome = Refusal | { readonly kind: 'cancelled'; readonly plan: StoredPlan };

export interface RebalanceExecution {
  /**
   * Quotes the largest MAX_QUOTED_LEGS legs, drops the costly or unquotable ones and stores the plan as
   * `pending`. Once `signal` is aborted (the update's deadline passed) no plan is left confirmable: none is
   * stored, or the one just stored is cancelled, and the call rejects with the signal's reason.
   */
  quotePlan(input: { userId: string; chatId: number; plan: RebalancePlan; signal?: AbortSignal }): Promise<StoredPlan>;
  /** Fast conditional `pending -> executing` (one DynamoDB write), so the bot can answer the tap before quoting. */
  claim(input: { planId: string; userId: string }): Promise<ClaimOutcome>;
  /** Re-quotes a claimed plan, then simulates, builds transactions, or asks again when prices moved (`signal` as in quotePlan). */
  execute(plan: StoredPlan, signal?: AbortSignal): Promise<ExecuteOutcome>;
  confirm(input: { planId: string; userId: string }): Promise<ConfirmOutcome>;
  cancel(input: { planId: string; userId: string }): Promise<CancelOutcome>;
}

export function createRebalanceExecution(deps: RebalanceExecutionDeps): RebalanceExecution {
  const newPlanId = deps.newPlanId ?? (() => randomBytes(6).toString('base64url'));

  const quoteAll = (legs: readonly RebalanceLeg[], slippagePercent: string) =>
    Promise.all(legs.map((leg) => quoteLeg(deps.market, leg, slippagePercent)));

  const storeQuoted = async (
    base: PlanBase,
    results: readonly LegQuoteResult[],
    slippagePercent: string,
    signal: AbortSignal | undefined,
  ): Promise<StoredPlan> => {
    signal?.throwIfAborted();
    const quoted = results.flatMap((result) => (result.kind === 'quoted' ? [result.quoted] : []));
    const dropped = results.flatMap((result) =>
      result.kind === 'dropped' ? [{ leg: result.leg, reason: result.reason }] : [],
    );
    const now = deps.now();
    const plan: StoredPlan = {
      ...base,
      planId: newPlanId(),
      state: 'pending',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + QUOTE_TTL_MS).toISOString(),
      slippagePercent,
      legs: quoted,
      dropped: [...base.dropped, ...dropped],
      allocation: projectAllocation(
        base,
        quoted.map((item) => item.leg),
      ),
    };
    await deps.plans.create(plan);
    if (signal?.aborted) {
      // The deadline passed while the plan was being written: nobody will see its buttons, so it must not stay pending.
      await deps.plans.transition(plan.planId, {
        from: 'pending',
        to: 'cancelled',
        userId: plan.userId,
        at: deps.now().toISOString(),
      });
      throw signal.reason;
    }
    return plan;
  };

  const claim = async ({ planId, userId }: { planId: string; userId: string }): Promise<ClaimOutcome> => {
    const at = deps.now().toISOString();
    const result = await deps.plans.transition(planId, {
      from: 'pending',
      to: 'executing',
      userId,
      at,
      notExpiredAt: at,
    });
    return result.ok ? { kind: 'claimed', plan: result.plan } : explainRefusal(result.current, userId);
  };

  const execute = async (plan: StoredPlan, signal?: AbortSignal): Promise<ExecuteOutcome> => {
    const fresh = await quoteAll(
      plan.legs.map((item) => item.leg),
      plan.slippagePercent,
    );
    // Too late: the plan stays `executing` (never confirmable again) and the user was already told it failed.
    signal?.throwIfAborted();
    if (hasMoved(plan.legs, fresh)) {
      // Every figure of the new preview is of now: legs re-priced by quoteLeg, shares and totals revalued here.
      const next = await storeQuoted(
        { ...plan, ...revalueAllocation(plan, plan.legs, fresh) },
        fresh,
        plan.slippagePercent,
        signal,
      );
      return {
        kind: 'requoted',
        previous: await finish(deps.plans, plan, 'superseded', deps.now, next.planId),
        plan: next,
      };
    }
    const legs = fresh.map((result) => (result as { quoted: QuotedLeg }).quoted);
    const settings = await deps.settings.get(plan.userId);
    if (deps.dryRun || !settings.liveMode)
      return { kind: 'simulated', plan: { ...(await finish(deps.plans, plan, 'simulated', deps.now)), legs } };
    // Nothing is built here: the Mini App fetches each transaction fresh from OKX when the user is about to sign it.
    const signing = await Promise.all(
      legs.map(async (item): Promise<QuotedLeg> => ({
        ...item,
        execution: await openExecution(deps, plan.userId, item),
      })),
    );
    const signBy = new Date(deps.now().getTime() + SIGNING_WINDOW_MS).toISOString();
    return {
      kind: 'awaiting-signature',
      plan: await finish(deps.plans, plan, 'awaiting-signature', deps.now, undefined, { signBy, legs: signing }),
    };
  };

  return {
    async quotePlan({ userId, chatId, plan, signal }) {
      const settings = await deps.settings.get(userId);
      const { quoted, overCap } = capLegs(plan.legs);
      const dropped = [...plan.dropped, ...overCap.map((leg) => ({ leg, reason: OVER_LEG_CAP }))];
      const base = {
        userId,
        chatId,
        mode: plan.mode,
        totalValueUsd: plan.totalValueUsd,
        dropped,
        allocation: plan.allocation,
        unlisted: plan.unlisted,
        kept: plan.kept,
      };
      const slippagePercent = settings.slippagePercent ?? DEFAULT_SLIPPAGE_PERCENT;
      return storeQuoted(base, await quoteAll(quoted, slippagePercent), slippagePercent, signal);
    },

    claim,
    execute,
    async confirm(input) {
      const claimed = await claim(input);
      return claimed.kind === 'claimed' ? execute(claimed.plan) : claimed;
    },

    async cancel({ planId, userId }) {
      const result = await deps.plans.transition(planId, {
        from: 'pending',
        to: 'cancelled',
        userId,
        at: deps.now().toISOString(),
      });
      if (result.ok) return { kind: 'cancelled', plan: result.plan };
      return explainRefusal(result.current, userId);
    },
  };
}

/** The MAX_QUOTED_LEGS largest legs by value (ties: plan order), kept in plan order; the rest over the cap. */
function capLegs(legs: readonly RebalanceLeg[]): { quoted: RebalanceLeg[]; overCap: RebalanceLeg[] } {
  const largest = new Set(
    [...legs].sort((a, b) => toDecimal(b.valueUsd).cmp(toDecimal(a.valueUsd))).slice(0, MAX_QUOTED_LEGS),
  );
  return { quoted: legs.filter((leg) => largest.has(leg)), overCap: legs.filter((leg) => !largest.has(leg)) };
}

type PlanBase = Pick<
  StoredPlan,
  'userId' | 'chatId' | 'mode' | 'totalValueUsd' | 'dropped' | 'allocation' | 'unlisted' | 'kept'
>;

/**
 * The confirmed plan promised at least `minReceivedRaw` on every leg; a fresh quote that promises less
 * (or none at all) needs the user's consent again.
 */
function hasMoved(confirmed: readonly QuotedLeg[], fresh: readonly LegQuoteResult[]): boolean {
  return fresh.some(
    (result, index) =>
      result.kind === 'dropped' ||
      toDecimal(result.quoted.quote.minReceivedRaw).lt(toDecimal(confirmed[index]!.quote.minReceivedRaw)),
  );
}

/** A leg's signing state on entering awaiting-signature: the only wallet that may sign it, or failed without one. */
async function openExecution(
  deps: Pick<RebalanceExecutionDeps, 'findWallet'>,
  userId: string,
  { leg }: QuotedLeg,
): Promise<LegExecution> {
  const walletAddress = leg.walletAddress ?? (await deps.findWallet(userId, leg.chainIndex));
  if (!walletAddress)
    return { rev: 1, state: 'failed', steps: [], failReason: 'no tracked wallet holds it on this chain' };
  return { rev: 1, state: 'awaiting-signature', walletAddress, steps: [] };
}

async function finish(
  plans: PlanStore,
  plan: StoredPlan,
  to: PlanState,
  now: () => Date,
  supersededBy?: string,
  signing?: { signBy: string; legs: readonly QuotedLeg[] },
): Promise<StoredPlan> {
  const result = await plans.transition(plan.planId, {
    from: 'executing',
    to,
    userId: plan.userId,
    at: now().toISOString(),
    ...(supersededBy ? { supersededBy } : {}),
    ...(signing ?? {}),
  });
  // Only this invocation holds `executing`, so losing this write means the table changed under us.
  if (!result.ok) throw new PlanStateError(plan.planId, to);
  return result.plan;
}

/** Why a conditional transition was refused, in the terms the bot answers with. */
export function explainRefusal(current: StoredPlan | undefined, userId: string): Refusal {
  if (!current) return { kind: 'expired' };
  if (current.userId !== userId) return { kind: 'not-yours' };
  if (current.state === 'executing') return { kind: 'in-progress' };
  if (current.state === 'pending' || current.state === 'superseded') return { kind: 'expired' };
  return { kind: 'already-done', state: current.state };
}

export class PlanStateError extends Error {
  constructor(
    readonly planId: string,
    readonly target: PlanState,
  ) {
    super(`plan ${planId} left 'executing' before it could become '${target}'`);
    this.name = 'PlanStateError';
  }
}
