import { normalizeToken } from '../addresses';
import { CHAINS, findChain, logoUrl, SOLANA_NATIVE_PLACEHOLDER } from '../chains';
import { isSupportedBar, buildCandles } from '../price-paths';
import { badParam, readArrayBody, readLimit, readTokenItem, requireChain, requireParam } from '../params';
import type { TokenSpec } from '../tokens';
import type { Route, RouteContext } from './types';

const BASE = '/api/v6/dex/market';

function readTime(context: RouteContext, name: string): number | undefined {
  const text = context.query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw badParam('market', name);
  return Number(text);
}

/**
 * The token the market family serves for an address as sent (okx-api §5, §7.2): EVM natives only as the 0xeeee…
 * placeholder (any case), never ''; native SOL not at all (its 1111…1 placeholder gets no data, wSOL is served).
 */
function marketToken(context: RouteContext, chainIndex: string, sent: string): TokenSpec | undefined {
  if (sent === '' || (chainIndex === '501' && sent === SOLANA_NATIVE_PLACEHOLDER)) return undefined;
  return context.world.findToken(chainIndex, sent);
}

function candles(isHistorical: boolean) {
  return (context: RouteContext): string[][] => {
    const chainIndex = requireParam(context.query, 'chainIndex');
    const tokenAddress = requireParam(context.query, 'tokenContractAddress');
    requireChain('market', chainIndex);
    const bar = context.query.get('bar') || '1m';
    if (!isSupportedBar(bar)) throw badParam('market', 'bar');
    const limit = readLimit('market', context.query, 100, 299, context.options);
    const token = marketToken(context, chainIndex, tokenAddress);
    if (!token?.priceUsd) return [];
    return buildCandles({
      seed: context.world.seed,
      token,
      priceUsd: token.priceUsd,
      bar,
      nowMs: context.nowMs,
      limit,
      isHistorical,
      after: readTime(context, 'after'),
      before: readTime(context, 'before'),
    });
  };
}

/**
 * Batch price lookup shared by market `price` and index `current-price`: unpriced or unknown tokens are simply
 * absent. The market price API serves natives as 0xeeee… / wSOL only; the index API prices every native coin via ''.
 */
function priceBatch(isIndex: boolean) {
  return (context: RouteContext) => {
    const items = readArrayBody<unknown>('market', context.body, 100, context.options, 'tokenContractAddress');
    return items.flatMap((item) => {
      const { chainIndex, tokenAddress: sent } = readTokenItem('market', item, 'tokenContractAddress');
      if (!findChain(chainIndex)) return [];
      const token = isIndex
        ? context.world.findToken(chainIndex, normalizeToken(chainIndex, sent))
        : marketToken(context, chainIndex, sent);
      if (!token?.priceUsd) return [];
      const echoed = sent.startsWith('0x') ? sent.toLowerCase() : sent;
      return [{ chainIndex, tokenContractAddress: echoed, time: String(context.nowMs), price: token.priceUsd }];
    });
  };
}

export const marketRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/supported/chain`,
    module: 'market',
    handle: (context) =>
      CHAINS.filter(
        (chain) => !context.query.get('chainIndex') || chain.chainIndex === context.query.get('chainIndex'),
      ).map((chain) => ({
        chainIndex: chain.chainIndex,
        chainName: chain.name,
        chainLogoUrl: logoUrl(chain.shortName),
        chainSymbol: chain.nativeSymbol,
      })),
  },
  { method: 'POST', path: `${BASE}/price`, module: 'market', handle: priceBatch(false) },
  { method: 'GET', path: `${BASE}/candles`, module: 'market', handle: candles(false) },
  { method: 'GET', path: `${BASE}/historical-candles`, module: 'market', handle: candles(true) },
  { method: 'POST', path: '/api/v6/dex/index/current-price', module: 'market', handle: priceBatch(true) },
];
