import { CHAINS } from './chains';
import { toFraction } from './decimal';
import { createRandom } from './random';
import type { TokenSpec } from './tokens';
import type { AddressKind } from './addresses';

export interface GeneratedHolding {
  readonly token: TokenSpec;
  readonly raw: bigint;
}

const EVM_PORTFOLIO_CHAINS = CHAINS.filter((chain) => chain.isPortfolioChain && chain.kind === 'evm').map(
  (chain) => chain.chainIndex,
);

/**
 * The portfolio any address outside the demo set holds: 1-6 priced, non-risk tokens over 1-3 chains
 * (EVM addresses), on Solana or on Tron, with USD values between $10 and $50,000, all derived from hash(seed, address).
 */
export function generatePortfolio(
  seed: number,
  wallet: string,
  kind: AddressKind,
  tokensOn: (chainIndex: string) => TokenSpec[],
): GeneratedHolding[] {
  const random = createRandom('okx-sandbox-portfolio', seed, wallet);
  const chains =
    kind === 'solana'
      ? ['501']
      : kind === 'tron'
        ? ['195']
        : pickDistinct(random, EVM_PORTFOLIO_CHAINS, 1 + random.below(3));
  const candidates = chains.flatMap((chainIndex) =>
    tokensOn(chainIndex).filter((token) => token.priceUsd !== undefined && !token.isRiskToken),
  );
  const picked = pickDistinct(random, candidates, Math.min(candidates.length, 1 + random.below(6)));
  return picked.map((token) => ({ token, raw: amountWorth(1000n + BigInt(random.below(4_999_000)), token) }));
}

/** Raw amount worth `cents` US cents at the token's price, kept to at most 6 significant decimals. */
function amountWorth(cents: bigint, token: TokenSpec): bigint {
  const price = toFraction(token.priceUsd!);
  const raw = (cents * 10n ** BigInt(token.decimals) * price.denominator) / (100n * price.numerator);
  const coarse = token.decimals > 6 ? 10n ** BigInt(token.decimals - 6) : 1n;
  const rounded = raw - (raw % coarse);
  return rounded > 0n ? rounded : coarse;
}

function pickDistinct<T>(random: ReturnType<typeof createRandom>, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) out.push(pool.splice(random.below(pool.length), 1)[0]!);
  return out;
}
