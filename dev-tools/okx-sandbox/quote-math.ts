import { Big } from './big';
import type { SandboxChain } from './chains';
import { fromRaw, toFraction } from './decimal';
import { OkxApiError } from './envelope';
import type { TokenSpec } from './tokens';

/** priceImpactPercent carries 4 decimal places; toTokenAmount uses exactly that printed value. */
const IMPACT_SCALE = 10_000n;

export interface QuoteMath {
  readonly toTokenAmount: bigint;
  /**
   * Percent with 4 decimals as OKX documents it, (received value − paid value) / paid value at the quote's own
   * tokenUnitPrices: a loss is negative, e.g. "-0.0123" (okx-api §9.5); "0" when there is none. Always <= 0 here.
   */
  readonly priceImpactPercent: string;
  readonly sizeUsd: string;
  readonly estimateGasFee: string;
  readonly tradeFee: string;
}

/**
 * okx-api.md §12.7 in exact integers:
 *   size_usd  = amount / 10^decIn × priceIn;  liquidity = min(liquidity(from), liquidity(to))
 *   loss %    = floor4(size_usd / (size_usd + liquidity) × 100)
 *   toAmount  = floor(amount / 10^decIn × priceIn / priceOut × 10^decOut × (1 − loss % / 100))
 *   priceImpactPercent = −loss % (received at priceOut is paid at priceIn × (1 − loss %), so the sign is OKX's)
 * Size above liquidity → 82000; impact above priceImpactProtectionPercent → 82112.
 */
export function computeQuote(
  chain: SandboxChain,
  from: TokenSpec,
  to: TokenSpec,
  amount: bigint,
  protectionPercent: string,
  nativePriceUsd: string | undefined,
): QuoteMath {
  if (!from.priceUsd || !to.priceUsd) throw new OkxApiError('82000', 'Insufficient liquidity', 200);
  const priceIn = toFraction(from.priceUsd);
  const priceOut = toFraction(to.priceUsd);
  const liquidity = toFraction(new Big(from.liquidityUsd).lt(to.liquidityUsd) ? from.liquidityUsd : to.liquidityUsd);
  const scaleIn = 10n ** BigInt(from.decimals);
  // size = sizeNum / sizeDen (USD)
  const sizeNum = amount * priceIn.numerator;
  const sizeDen = scaleIn * priceIn.denominator;
  if (liquidity.numerator === 0n || sizeNum * liquidity.denominator > liquidity.numerator * sizeDen)
    throw new OkxApiError('82000', 'Insufficient liquidity', 200);
  const sizeTimesLiqDen = sizeNum * liquidity.denominator;
  const impact = (sizeTimesLiqDen * 100n * IMPACT_SCALE) / (sizeTimesLiqDen + liquidity.numerator * sizeDen);
  const lossPercent = fromRaw(impact, 4);
  if (protectionPercent !== '100' && new Big(lossPercent).gt(protectionPercent)) {
    throw new OkxApiError(
      '82112',
      `The price impact (${lossPercent}%) exceeds the threshold ${protectionPercent}%`,
      200,
    );
  }
  const priceImpactPercent = impact === 0n ? '0' : `-${lossPercent}`;
  const numerator =
    amount * priceIn.numerator * priceOut.denominator * 10n ** BigInt(to.decimals) * (100n * IMPACT_SCALE - impact);
  const denominator = scaleIn * priceIn.denominator * priceOut.numerator * 100n * IMPACT_SCALE;
  const gas = estimateGas(chain, from, to);
  return {
    toTokenAmount: numerator / denominator,
    priceImpactPercent,
    sizeUsd: fromRaw((sizeNum * 10n ** 6n) / sizeDen, 6),
    estimateGasFee: gas,
    tradeFee: networkFeeUsd(chain, gas, nativePriceUsd),
  };
}

function estimateGas(chain: SandboxChain, from: TokenSpec, to: TokenSpec): string {
  if (chain.kind === 'solana') return '300000';
  if (from.address === '') return '146000';
  return to.address === '' ? '160000' : '273000';
}

/** Network fee in USD: gas × gasPrice (EVM) or 5,000 lamports + 100,000 lamports of priority fee (Solana). */
function networkFeeUsd(chain: SandboxChain, gas: string, nativePriceUsd: string | undefined): string {
  if (!nativePriceUsd) return '0';
  const native = chain.kind === 'solana' ? new Big('105000') : new Big(gas).times(chain.gasPriceWei);
  return native.div(new Big(10).pow(chain.nativeDecimals)).times(nativePriceUsd).toString();
}

/** §12.7: minReceiveAmount = floor(toTokenAmount × (100 − slippagePercent) / 100), exact. */
export function minReceive(toTokenAmount: bigint, slippagePercent: string): bigint {
  const slippage = toFraction(slippagePercent);
  return (toTokenAmount * (100n * slippage.denominator - slippage.numerator)) / (100n * slippage.denominator);
}
