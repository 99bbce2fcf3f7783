import type { StoredHolding } from './holdings-store';
import { sumDecimals, toDecimal, ZERO, type Decimal } from '../kernel/decimal';
import type { TokenBalance } from '../platform/okx/market-data-port';
import type { ChainIndex } from '../kernel/types';

/** What one wallet's fetch gave: the part of WalletFetch the guard reads and narrows. */
export interface AnsweredFetch {
  readonly wallet: {
    readonly walletId: string;
    readonly chains: readonly ChainIndex[];
    readonly pendingEmptySince?: string;
  };
  readonly balances: readonly TokenBalance[];
  readonly answeredChains: readonly ChainIndex[];
  readonly failures: { chainIndex?: ChainIndex; error: string }[];
}

export const EMPTY_ANSWER_ERROR =
  'answered empty while holding value: last good holdings kept until a fetch in a later slot agrees';

export interface EmptyAnswerVerdict<T extends AnsweredFetch> {
  /** The fetch to apply: a suspect answer's valued chains are moved to the failures (kept, marked stale). */
  readonly fetched: T;
  /** True while an empty answer waits for a second one in a later slot. */
  readonly pending: boolean;
  /** The wallet's new pending-empty mark: a slot to set, null to clear, undefined to leave as it is. */
  readonly mark?: string | null;
}

/**
 * An address that held value and suddenly answers with nothing of value (e.g. `data: []`) is not believed
 * on one answer: the chains that held value keep their last good holdings (marked stale) and the wallet
 * gets a pending-empty mark with this slot. Only an empty answer in a LATER slot (a later sync cycle) is
 * believed; any answer with value clears the mark. Judged per wallet over its answered chains, so value
 * moving between the wallet's chains is believed at once.
 */
export function judgeEmptyAnswer<T extends AnsweredFetch>(
  fetched: T,
  existing: readonly StoredHolding[],
  slot: string,
): EmptyAnswerVerdict<T> {
  const { wallet, answeredChains } = fetched;
  const since = wallet.pendingEmptySince;
  if (answeredChains.length === 0) return { fetched, pending: false };
  const heldBefore = heldValue(existing, wallet.walletId, answeredChains);
  const answered = valueOf(fetched.balances.filter((balance) => answeredChains.includes(balance.chainIndex)));
  const isSuspect = heldBefore.gt(ZERO) && answered.eq(ZERO);
  if (!isSuspect || (since !== undefined && since < slot))
    return { fetched, pending: false, ...(since !== undefined ? { mark: null } : {}) };
  const valued = answeredChains.filter((chain) => heldValue(existing, wallet.walletId, [chain]).gt(ZERO));
  const narrowed = {
    ...fetched,
    answeredChains: answeredChains.filter((chain) => !valued.includes(chain)),
    balances: fetched.balances.filter((balance) => !valued.includes(balance.chainIndex)),
    failures: [...fetched.failures, ...valued.map((chainIndex) => ({ chainIndex, error: EMPTY_ANSWER_ERROR }))],
  };
  return { fetched: narrowed, pending: true, ...(since === undefined ? { mark: slot } : {}) };
}

/** Wallet x chain pairs whose last good holdings held value and that did not answer now (failed or refused). */
export function unansweredValueChains(fetched: AnsweredFetch, existing: readonly StoredHolding[]): number {
  const failed = fetched.wallet.chains.filter((chain) => !fetched.answeredChains.includes(chain));
  return failed.filter((chain) => heldValue(existing, fetched.wallet.walletId, [chain]).gt(ZERO)).length;
}

/** USD value of a wallet's last good holdings on some chains: priced, non-risk tokens (as the snapshot counts them). */
function heldValue(existing: readonly StoredHolding[], walletId: string, chains: readonly ChainIndex[]): Decimal {
  return valueOf(existing.filter((holding) => holding.walletId === walletId && chains.includes(holding.chainIndex)));
}

function valueOf(rows: readonly Pick<TokenBalance, 'balance' | 'priceUsd' | 'isRiskToken'>[]): Decimal {
  return sumDecimals(
    rows
      .filter((row) => !row.isRiskToken && row.priceUsd !== undefined)
      .map((row) => toDecimal(row.balance).times(toDecimal(row.priceUsd!))),
  );
}
