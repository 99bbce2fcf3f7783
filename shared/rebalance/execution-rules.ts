/**
 * The signing flow's states (issue 13), pure: what a leg's steps make of the leg, and the legs of the plan.
 *
 * Plan: awaiting-signature -> submitted -> confirmed | failed | expired (entered from `executing`).
 * Leg: awaiting-signature -> approving -> submitted -> confirmed | failed | expired.
 * Step (reset-approval, approve, swap): prepared -> submitted -> confirmed | failed; prepared -> submitted once.
 */
export type LegState = 'awaiting-signature' | 'approving' | 'submitted' | 'confirmed' | 'failed' | 'expired';
export type StepKind = 'reset-approval' | 'approve' | 'swap';
export type StepState = 'prepared' | 'submitted' | 'confirmed' | 'failed';
export type ExecutionPlanState = 'awaiting-signature' | 'submitted' | 'confirmed' | 'failed' | 'expired';

/** The exact transaction a step asks the wallet to sign (what a signed one must equal). */
export interface PreparedTx {
  readonly family: 'evm' | 'solana';
  /** EVM: chain id (== chainIndex). */
  readonly chainId?: number;
  readonly from: string;
  /** EVM: the token contract (approvals) or OKX's router (swap); Solana: the router program OKX named. */
  readonly to: string;
  /** EVM calldata; Solana: the unsigned serialized transaction OKX returned (base58). */
  readonly data: string;
  /** Native minimal units, decimal. */
  readonly value: string;
  readonly gas?: string;
  readonly gasPrice?: string;
  readonly maxPriorityFeePerGas?: string;
  readonly signatureData?: readonly string[];
  /** Approvals: the spender named by OKX's approve endpoint, and the approved raw amount. */
  readonly spender?: string;
  readonly approveAmountRaw?: string;
}

export interface LegStep {
  readonly stepId: string;
  readonly kind: StepKind;
  readonly state: StepState;
  readonly tx: PreparedTx;
  readonly preparedAt: string;
  readonly txHash?: string;
  /** OKX's order id, when we broadcast it. */
  readonly orderId?: string;
  readonly via?: 'broadcast' | 'wallet';
  readonly submittedAt?: string;
  readonly settledAt?: string;
  readonly failReason?: string;
  /** Minimal units moved, read from OKX's history of a confirmed swap. */
  readonly realised?: { readonly fromAmountRaw: string; readonly toAmountRaw: string };
  /** Native coin paid for gas, as OKX's history gives it. */
  readonly feeNative?: string;
}

export interface LegExecution {
  /** Bumped by every write: each write is conditional on the revision it read (one winner). */
  readonly rev: number;
  readonly state: LegState;
  /** The only wallet allowed to sign this leg. */
  readonly walletAddress?: string;
  readonly steps: readonly LegStep[];
  readonly failReason?: string;
}

const TERMINAL_LEG: readonly LegState[] = ['confirmed', 'failed', 'expired'];
export const TERMINAL_PLAN_STATES: readonly string[] = ['confirmed', 'failed', 'expired'];

export function isLegDone(execution: LegExecution): boolean {
  return TERMINAL_LEG.includes(execution.state);
}

/** The step sent but not settled yet, if any (at most one per leg: the next is prepared only after it). */
export function inFlightStep(execution: LegExecution): LegStep | undefined {
  // The tracker gave up on an expired leg's last transaction: nothing is awaited any more.
  if (execution.state === 'expired') return undefined;
  return execution.steps.find((step) => step.state === 'submitted');
}

/** What a leg's steps make of it (an expired leg stays expired). */
export function legStateOf(execution: LegExecution): LegState {
  if (execution.state === 'expired') return 'expired';
  if (execution.steps.some((step) => step.state === 'failed')) return 'failed';
  const swap = execution.steps.find((step) => step.kind === 'swap' && step.state !== 'prepared');
  if (swap?.state === 'confirmed') return 'confirmed';
  if (swap?.state === 'submitted') return 'submitted';
  if (execution.steps.some((step) => step.kind !== 'swap' && step.state !== 'prepared')) return 'approving';
  return 'awaiting-signature';
}

/**
 * The plan's state from its legs. Something sent and not settled keeps it `submitted` (whatever the clock); then a
 * failed leg fails it, every leg confirmed confirms it, an expired leg or the signing window closing on legs not
 * done expires it; before that it is `submitted` once anything was sent, else `awaiting-signature`.
 */
export function planStateOf(legs: readonly LegExecution[], now: Date, signBy: string): ExecutionPlanState {
  if (legs.some((leg) => inFlightStep(leg))) return 'submitted';
  if (legs.some((leg) => leg.state === 'failed')) return 'failed';
  if (legs.every((leg) => leg.state === 'confirmed')) return 'confirmed';
  if (legs.some((leg) => leg.state === 'expired') || now.getTime() >= Date.parse(signBy)) return 'expired';
  return legs.some((leg) => leg.steps.some((step) => step.state !== 'prepared')) ? 'submitted' : 'awaiting-signature';
}

/** Legs not done when the plan expires are expired too (nothing more may be signed for them). */
export function expireOpenLegs(legs: readonly LegExecution[], reason: string): LegExecution[] {
  return legs.map((leg) =>
    isLegDone(leg) || inFlightStep(leg) ? leg : { ...leg, rev: leg.rev + 1, state: 'expired', failReason: reason },
  );
}

/** Back-off of the tracker: 5 s, 10 s, 20 s … at most 5 minutes. */
export function trackDelaySeconds(attempt: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempt));
}

/** How long a sent transaction may stay unconfirmed before the tracker gives up (the leg and plan expire). */
export const TRACK_GIVE_UP_MS = 30 * 60_000;
