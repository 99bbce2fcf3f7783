import type { PreparedTx } from '../../../rebalance/execution-rules';

/**
 * The signing API's JSON (the issue-13 contract, docs/miniapp-api.md): a plan's legs and the next transaction of a
 * leg to sign. Amounts are decimal strings in UI units; EVM `value` is wei.
 */
export type PlanState =
  | 'awaiting-signature'
  | 'submitted'
  | 'confirmed'
  | 'failed'
  | 'expired'
  | 'simulated'
  | 'pending'
  | 'cancelled'
  | 'superseded'
  | 'executing';
export type LegState = 'awaiting-signature' | 'approving' | 'submitted' | 'confirmed' | 'failed' | 'expired';
export type StepKind = 'reset-approval' | 'approve' | 'swap';
export type StepState = 'prepared' | 'submitted' | 'confirmed' | 'failed';

export interface SigningStep {
  readonly stepId: string;
  readonly kind: StepKind;
  readonly state: StepState;
  readonly txHash?: string;
  readonly failReason?: string;
}

export interface SigningLeg {
  readonly index: number;
  readonly chainIndex: string;
  readonly chainName: string;
  readonly family: 'evm' | 'solana';
  readonly walletAddress: string;
  readonly from: { readonly symbol: string; readonly tokenAddress: string; readonly amount: string };
  readonly to: {
    readonly symbol: string;
    readonly tokenAddress: string;
    readonly expected: string;
    readonly minReceived: string;
  };
  readonly state: LegState;
  readonly steps: readonly SigningStep[];
  readonly failReason?: string;
  readonly realised?: { readonly fromAmount: string; readonly toAmount: string };
}

export interface SigningPlan {
  readonly planId: string;
  readonly state: PlanState;
  readonly signBy?: string;
  readonly dryRun: boolean;
  readonly legs: readonly SigningLeg[];
}

export interface IntentCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** The EVM transaction to sign: the server's prepared transaction as sent (`value` in wei, decimal). */
export type EvmTransaction = Pick<
  PreparedTx,
  'from' | 'to' | 'data' | 'value' | 'gas' | 'gasPrice' | 'maxPriorityFeePerGas'
> & {
  readonly chainId: number;
};

export interface PreparedStep {
  readonly stepId: string;
  readonly kind: StepKind;
  readonly legIndex: number;
  readonly family: 'evm' | 'solana';
  readonly chainIndex: string;
  readonly evm?: EvmTransaction;
  /** base58 serialized, unsigned, as OKX returned it */
  readonly solana?: { readonly transaction: string; readonly signatureData: readonly string[] };
  readonly summary: {
    readonly spend?: { readonly symbol: string; readonly amount: string };
    readonly minReceive?: { readonly symbol: string; readonly amount: string };
    readonly approval?: { readonly symbol: string; readonly amount: string; readonly spender: string };
    readonly networkFee?: { readonly amount: string; readonly symbol: string; readonly usd?: string };
  };
  readonly checks: readonly IntentCheck[];
  readonly expiresAt: string;
}
