import { findChain, logoUrl } from '../chains';
import { badParam, readArrayBody, readChains, readLimit, readTokenItem, requireParam } from '../params';
import type { TokenSpec } from '../tokens';
import type { Route } from './types';

const BASE = '/api/v6/dex/market/token';

function tagList(token: TokenSpec) {
  return { communityRecognized: token.communityRecognized };
}

export const tokenRoutes: Route[] = [
  {
    method: 'POST',
    path: `${BASE}/basic-info`,
    module: 'market',
    handle(context) {
      const items = readArrayBody<unknown>('market', context.body, 100, context.options, 'tokenContractAddress');
      return items.flatMap((item) => {
        const { chainIndex, tokenAddress: sent } = readTokenItem('market', item, 'tokenContractAddress');
        const token = findChain(chainIndex) ? context.world.findToken(chainIndex, sent) : undefined;
        if (!token) return [];
        return [
          {
            chainIndex,
            tokenContractAddress: sent.startsWith('0x') ? sent.toLowerCase() : sent,
            tokenName: token.name,
            tokenSymbol: token.symbol,
            tokenLogoUrl: logoUrl(token.symbol),
            decimal: String(token.decimals),
            tagList: tagList(token),
          },
        ];
      });
    },
  },
  {
    method: 'GET',
    path: `${BASE}/search`,
    module: 'market',
    handle(context) {
      const chains = readChains('market', context.query, context.options);
      const needle = requireParam(context.query, 'search').toLowerCase();
      const limit = readLimit('market', context.query, 20, 100, context.options);
      const cursor = Number(context.query.get('cursor') || '0');
      if (!Number.isInteger(cursor) || cursor < 0) throw badParam('market', 'cursor');
      const found = chains
        .flatMap((chain) => context.world.tokensOn(chain))
        .filter(
          (token) =>
            token.symbol.toLowerCase().includes(needle) ||
            token.name.toLowerCase().includes(needle) ||
            (token.address !== '' && token.address.toLowerCase() === needle),
        );
      return found.slice(cursor, cursor + limit).map((token, index) => ({
        chainIndex: token.chainIndex,
        tokenName: token.name,
        tokenSymbol: token.symbol,
        tokenLogoUrl: logoUrl(token.symbol),
        tokenContractAddress: token.address,
        decimal: String(token.decimals),
        explorerUrl: `https://web3.okx.com/explorer/token/${token.chainIndex}/${token.address}`,
        change: '0',
        holders: '100000',
        liquidity: token.liquidityUsd,
        marketCap: token.priceUsd ? (BigInt(token.liquidityUsd.split('.')[0]!) * 20n).toString() : '',
        price: token.priceUsd ?? '',
        tagList: tagList(token),
        cursor: String(cursor + index + 1),
      }));
    },
  },
];
