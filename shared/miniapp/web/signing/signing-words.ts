import type { ApiError } from '../api';
import type { IntentCheck, LegState, PreparedStep, SigningLeg, StepKind, StepState } from './signing-types';

/** A refusal in plain words: what happened, what to do; the failed intent checks when there are some. */
export interface Refusal {
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly failedChecks?: readonly IntentCheck[];
}

/** The server's refusals (the issue-13 contract) as the person reads them; the server's message is kept as detail. */
export function refusalOf(error: ApiError, leg?: SigningLeg): Refusal {
  const detail = error.message;
  switch (error.code) {
    case 'wrong-wallet':
      return {
        code: error.code,
        title: `Connect the wallet ${error.extra.expected ?? leg?.walletAddress ?? 'of this leg'}`,
        detail: `Only that wallet may sign this leg. Switch the account in your wallet and connect again. (${detail})`,
      };
    case 'expired':
      return {
        code: error.code,
        title: 'This plan has expired',
        detail: `Its signing window has closed; nothing more can be signed. Run /rebalance for fresh quotes. (${detail})`,
      };
    case 'already-submitted':
      return {
        code: error.code,
        title: 'Already sent',
        detail: `This step was already sent; it is tracked below and is never sent twice. (${detail})`,
      };
    case 'intent-mismatch':
      return {
        code: error.code,
        title: 'Not offered for signing: the transaction does not match your plan',
        detail,
        failedChecks: (error.extra.checks ?? []).filter((check) => !check.ok),
      };
    case 'not-live':
      return {
        code: error.code,
        title: 'Dry run: read-only',
        detail: `This plan only shows what would be done; nothing is signed or sent. (${detail})`,
      };
    case 'wait':
      return { code: error.code, title: 'Waiting for the previous transaction', detail };
    case 'leg-done':
      return { code: error.code, title: 'This leg is done', detail };
    case 'signed-mismatch':
      return {
        code: error.code,
        title: 'Not sent: the wallet signed something else',
        detail: `The signed transaction is not the one shown here, so it was not sent. (${detail})`,
      };
    case 'broadcast-rejected':
      return {
        code: error.code,
        title: 'OKX refused the transaction',
        detail: `${detail} It was not sent, and it will not be sent again automatically.`,
      };
    case 'okx-billing':
      return {
        code: error.code,
        title: 'OKX asks for payment (HTTP 402)',
        detail: `OKX's market API refused the request for billing reasons; nothing was signed or sent. (${detail})`,
      };
    case 'okx-error':
      return { code: error.code, title: 'OKX could not build this transaction', detail };
    case 'not-found':
      return { code: error.code, title: 'Plan not found', detail: 'This plan does not exist or is not yours.' };
    default:
      return { code: error.code, title: 'Something went wrong', detail };
  }
}

export const STEP_TITLE: Readonly<Record<StepKind, string>> = {
  'reset-approval': 'Reset the approval to 0',
  approve: 'Approve',
  swap: 'Swap',
};

export const STEP_STATE: Readonly<Record<StepState, string>> = {
  prepared: 'to sign',
  submitted: 'sent, waiting for the chain',
  confirmed: 'confirmed',
  failed: 'failed',
};

export const LEG_STATE: Readonly<Record<LegState, string>> = {
  'awaiting-signature': 'waiting for your signature',
  approving: 'approval in progress',
  submitted: 'sent, waiting for the chain',
  confirmed: 'confirmed',
  failed: 'failed',
  expired: 'expired',
};

export const isLegDone = (leg: SigningLeg) => ['confirmed', 'failed', 'expired'].includes(leg.state);
export const hasPendingStep = (leg: SigningLeg) => leg.steps.some((step) => step.state === 'submitted');

/** "1000 USDT → at least 0.3 ETH (expected 0.31)" */
export const legLine = (leg: SigningLeg) =>
  `${leg.from.amount} ${leg.from.symbol} → at least ${leg.to.minReceived} ${leg.to.symbol} (expected ${leg.to.expected})`;

/** What the wallet will be asked to sign, one line each, exactly as the server prepared it. */
export function stepLines(step: PreparedStep): { label: string; value: string; testId: string }[] {
  const lines: { label: string; value: string; testId: string }[] = [];
  const { spend, minReceive, approval, networkFee } = step.summary;
  if (spend) lines.push({ label: 'You spend', value: `${spend.amount} ${spend.symbol}`, testId: 'spend' });
  if (minReceive)
    lines.push({
      label: 'You receive at least',
      value: `${minReceive.amount} ${minReceive.symbol}`,
      testId: 'min-receive',
    });
  if (approval) {
    lines.push({
      label: step.kind === 'reset-approval' ? 'Approval reset to' : 'Approval',
      value: `${approval.amount} ${approval.symbol}`,
      testId: 'approval',
    });
    lines.push({ label: 'Spender (OKX router)', value: approval.spender, testId: 'spender' });
  }
  if (step.evm) lines.push({ label: 'Contract called', value: step.evm.to, testId: 'to' });
  if (networkFee)
    lines.push({
      label: 'Network fee (estimate)',
      value: `${networkFee.amount} ${networkFee.symbol}${networkFee.usd ? ` (≈ $${networkFee.usd})` : ''}`,
      testId: 'network-fee',
    });
  return lines;
}

/** "12 min left" / "expired"; minutes rounded down, seconds in the last minute. */
export function timeLeft(signBy: string, now: number): string {
  const ms = Date.parse(signBy) - now;
  if (!(ms > 0)) return 'expired';
  if (ms < 60_000) return `${Math.ceil(ms / 1000)} s left`;
  return `${Math.floor(ms / 60_000)} min left`;
}

export const sameAddress = (family: 'evm' | 'solana', a: string, b: string) =>
  family === 'evm' ? a.toLowerCase() === b.toLowerCase() : a === b;
