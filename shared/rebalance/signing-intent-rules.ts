import { sameAddress } from '../kernel/address';
import { fromRawUnits, toDecimal, ZERO } from '../kernel/decimal';
import type { StepKind } from './execution-rules';

/**
 * The intent check (issue 13), pure: the exact transaction the wallet will be asked to sign, compared with the leg
 * the user confirmed. Every check yields one sentence for the page; any failure refuses the step.
 */
export interface IntentCheck {
  readonly name: 'chain' | 'recipient' | 'value' | 'approval' | 'minimum' | 'simulation';
  readonly ok: boolean;
  readonly detail: string;
}

export interface IntentToken {
  /** '' = the native coin. */
  readonly address: string;
  readonly symbol: string;
  readonly decimals: number;
}

export interface AssetChange {
  readonly address: string;
  readonly assetType: string;
  /** Signed minimal units: negative leaves the wallet. */
  readonly rawValue: string;
}

export type SimulationOutcome =
  | { readonly kind: 'ran'; readonly failReason: string; readonly assetChanges: readonly AssetChange[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface IntentInput {
  readonly kind: StepKind;
  readonly family: 'evm' | 'solana';
  readonly chainIndex: string;
  readonly chainName: string;
  readonly from: IntentToken;
  readonly to: IntentToken;
  /** The leg's exact amount and floor, minimal units. */
  readonly amountRaw: string;
  readonly minReceivedRaw: string;
  /** The spender OKX's approve endpoint named (EVM ERC-20 legs). */
  readonly spender?: string;
  /** OKX's routers for this chain: the allowlist (OKX_ROUTER_ALLOWLIST). */
  readonly routers: readonly string[];
  readonly tx: { readonly chainId?: number; readonly to: string; readonly data: string; readonly value: string };
  readonly simulation: SimulationOutcome;
  /** The swap's own on-chain floor (`minReceiveAmount`), which must not be below the confirmed minimum. */
  readonly txMinReceivedRaw?: string;
}

const APPROVE_SELECTOR = '0x095ea7b3';
/** The aggregator's and the simulator's placeholders for a native coin (see platform/okx/native-address.ts). */
const NATIVE_PLACEHOLDERS = new Set([
  '',
  '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
  '11111111111111111111111111111111',
  'so11111111111111111111111111111111111111112',
]);

export function checkIntent(input: IntentInput): IntentCheck[] {
  return [
    ...(input.family === 'evm' ? [checkChain(input)] : []),
    checkRecipient(input),
    ...(input.family === 'evm' ? [checkValue(input)] : []),
    ...(input.kind !== 'swap' ? [checkApproval(input)] : []),
    ...(input.kind === 'swap' && input.txMinReceivedRaw !== undefined
      ? [checkMinimum(input, input.txMinReceivedRaw)]
      : []),
    checkSimulation(input),
  ];
}

export function isIntentOk(checks: readonly IntentCheck[]): boolean {
  return checks.every((check) => check.ok);
}

const words = (raw: string, token: IntentToken) => `${fromRawUnits(raw, token.decimals).toFixed()} ${token.symbol}`;

function checkChain(input: IntentInput): IntentCheck {
  const expected = Number(input.chainIndex);
  if (input.tx.chainId === expected)
    return { name: 'chain', ok: true, detail: `On ${input.chainName} (chain id ${expected}), as planned.` };
  return {
    name: 'chain',
    ok: false,
    detail: `The transaction is for chain id ${input.tx.chainId ?? 'none'}, but this trade is on ${input.chainName} (chain id ${expected}).`,
  };
}

function checkRecipient(input: IntentInput): IntentCheck {
  if (input.kind !== 'swap') {
    const ok = input.family === 'evm' && sameAddress(input.tx.to, input.from.address);
    return {
      name: 'recipient',
      ok,
      detail: ok
        ? `Sent to the ${input.from.symbol} token contract.`
        : `An approval must go to the ${input.from.symbol} token contract ${input.from.address}, not ${input.tx.to}.`,
    };
  }
  const known = [...input.routers, ...(input.spender ? [input.spender] : [])];
  const ok = known.some((router) => sameAddress(router, input.tx.to));
  return {
    name: 'recipient',
    ok,
    detail: ok
      ? `Sent to OKX's DEX router ${input.tx.to}.`
      : `${input.tx.to} is not an OKX DEX router for ${input.chainName}: refused.`,
  };
}

function checkValue(input: IntentInput): IntentCheck {
  const expected = input.kind === 'swap' && isNative(input.from.address, '') ? input.amountRaw : '0';
  const ok = /^\d+$/.test(input.tx.value) && toDecimal(input.tx.value).eq(toDecimal(expected));
  const native = input.from.address === '' ? input.from : undefined;
  const expectedWords = native && expected !== '0' ? words(expected, native) : 'nothing';
  return {
    name: 'value',
    ok,
    detail: ok
      ? `Sends ${expectedWords} of the native coin with it.`
      : `Would send ${input.tx.value} minimal units of the native coin; this step should send ${expectedWords}.`,
  };
}

function checkApproval(input: IntentInput): IntentCheck {
  const expected = input.kind === 'reset-approval' ? '0' : input.amountRaw;
  const decoded = decodeApprove(input.tx.data);
  const spenderOk = decoded !== undefined && !!input.spender && sameAddress(decoded.spender, input.spender);
  const amountOk = decoded !== undefined && decoded.amountRaw === expected;
  if (decoded && spenderOk && amountOk)
    return {
      name: 'approval',
      ok: true,
      detail:
        expected === '0'
          ? `Resets the ${input.from.symbol} allowance of ${decoded.spender} to 0 (the token requires it before a new approval).`
          : `Lets ${decoded.spender} (OKX's spender) use exactly ${words(expected, input.from)}.`,
    };
  if (!decoded) return { name: 'approval', ok: false, detail: 'This is not an ERC-20 approval.' };
  return {
    name: 'approval',
    ok: false,
    detail: !spenderOk
      ? `The approval names ${decoded.spender}, not OKX's spender ${input.spender ?? '(unknown)'}.`
      : `The approval is for ${words(decoded.amountRaw, input.from)}, not exactly ${words(expected, input.from)}.`,
  };
}

function checkMinimum(input: IntentInput, txMinRaw: string): IntentCheck {
  const ok = toDecimal(txMinRaw).gte(toDecimal(input.minReceivedRaw));
  return {
    name: 'minimum',
    ok,
    detail: ok
      ? `Reverts on-chain unless at least ${words(txMinRaw, input.to)} arrive.`
      : `The swap only guarantees ${words(txMinRaw, input.to)}, below the ${words(input.minReceivedRaw, input.to)} you confirmed: prices moved, rebalance again.`,
  };
}

function checkSimulation(input: IntentInput): IntentCheck {
  const sim = input.simulation;
  if (sim.kind === 'unavailable')
    return {
      name: 'simulation',
      ok: false,
      detail: `OKX could not simulate the transaction (${sim.reason}), so it cannot be checked: nothing is signed unchecked. Try again in a minute.`,
    };
  if (sim.failReason !== '')
    return { name: 'simulation', ok: false, detail: `The simulation says it would fail: ${sim.failReason}.` };
  const flows = (token: IntentToken, direction: 'out' | 'in') =>
    sim.assetChanges
      .filter((change) => matches(change, token) && change.rawValue.startsWith('-') === (direction === 'out'))
      .reduce((sum, change) => sum.plus(toDecimal(change.rawValue).abs()), ZERO);
  const foreignOut = sim.assetChanges.filter(
    (change) => change.rawValue.startsWith('-') && !(input.kind === 'swap' && matches(change, input.from)),
  );
  if (foreignOut.length > 0)
    return {
      name: 'simulation',
      ok: false,
      detail: `The simulation shows ${foreignOut.map((change) => change.address || 'the native coin').join(', ')} leaving your wallet, which this step should not do.`,
    };
  if (input.kind !== 'swap')
    return { name: 'simulation', ok: true, detail: 'Simulated by OKX: no token leaves your wallet.' };
  const gives = flows(input.from, 'out');
  const gets = flows(input.to, 'in');
  if (gives.gt(toDecimal(input.amountRaw)))
    return {
      name: 'simulation',
      ok: false,
      detail: `The simulation takes ${words(gives.toFixed(0), input.from)}, more than the planned ${words(input.amountRaw, input.from)}.`,
    };
  if (gets.lt(toDecimal(input.minReceivedRaw)))
    return {
      name: 'simulation',
      ok: false,
      detail: `The simulation gives ${words(gets.toFixed(0), input.to)}, less than the minimum ${words(input.minReceivedRaw, input.to)}.`,
    };
  return {
    name: 'simulation',
    ok: true,
    detail: `Simulated by OKX: gives ${words(gives.toFixed(0), input.from)} and receives ${words(gets.toFixed(0), input.to)} (at least ${words(input.minReceivedRaw, input.to)}).`,
  };
}

function isNative(address: string, assetType: string): boolean {
  return assetType.toUpperCase() === 'NATIVE' || NATIVE_PLACEHOLDERS.has(address.toLowerCase());
}

function matches(change: AssetChange, token: IntentToken): boolean {
  if (token.address === '') return isNative(change.address, change.assetType);
  return !isNative(change.address, change.assetType) && sameAddress(change.address, token.address);
}

/** `approve(address spender, uint256 amount)` calldata, or undefined when the data is anything else. */
export function decodeApprove(data: string): { spender: string; amountRaw: string } | undefined {
  const hex = data.toLowerCase();
  if (!hex.startsWith(APPROVE_SELECTOR) || hex.length !== 10 + 128 || !/^0x[0-9a-f]+$/.test(hex)) return undefined;
  const spenderWord = hex.slice(10, 74);
  if (!/^0{24}/.test(spenderWord)) return undefined;
  return { spender: `0x${spenderWord.slice(24)}`, amountRaw: BigInt(`0x${hex.slice(74)}`).toString() };
}
