import type { TokenInfo } from './market-data-port';
import type { ChainIndex, DecimalString, TokenRef } from '../../kernel/types';
import { clampLimit } from './clamp-limit';
import { fetchPerToken } from './fetch-per-token';
import { fromAggregatorAddress } from './native-address';
import type { OkxHttp } from './okx-http';
import { omitUndefined, OkxShape, type Json } from './okx-shape';

const BASE = '/api/v6/dex/market/token';
export const MAX_TOKENS_PER_INFO_CALL = 100;
export const MAX_SEARCH_LIMIT = 100;

export interface TokenSearchResult extends TokenInfo {
  readonly priceUsd?: DecimalString;
  readonly marketCapUsd?: DecimalString;
  readonly liquidityUsd?: DecimalString;
  /** 24 h change in percent. */
  readonly change24hPercent?: DecimalString;
}

export interface TokenSearchOptions {
  readonly limit?: number;
  readonly cursor?: string;
}

/** basic-info uses the singular `decimal` (okx-api §8.1); the aggregator's plural is accepted too. */
function readInfo(shape: OkxShape, item: Json, at: string): Omit<TokenInfo, 'chainIndex' | 'tokenAddress'> {
  const communityRecognized =
    typeof item.tagList === 'object' && item.tagList !== null ? (item.tagList as Json).communityRecognized : undefined;
  return {
    decimals: shape.decimals(item, 'decimal' in item ? 'decimal' : 'decimals', at),
    symbol: shape.string(item, 'tokenSymbol', at),
    name: shape.optionalString(item, 'tokenName', at) ?? '',
    logoUrl: shape.optionalString(item, 'tokenLogoUrl', at) ?? '',
    ...(typeof communityRecognized === 'boolean' ? { communityRecognized } : {}),
  };
}

export function createTokenApi(http: OkxHttp) {
  /** Decimals, symbol, name, logo in batches of 100; unknown tokens are absent from the answer. */
  function getTokenInfo(tokens: readonly TokenRef[]): Promise<TokenInfo[]> {
    const endpoint = { path: `${BASE}/basic-info`, family: 'token', batchSize: MAX_TOKENS_PER_INFO_CALL } as const;
    return fetchPerToken(http, endpoint, tokens, readInfo);
  }

  /** By name, symbol or contract address over the given chains (okx-api §8.2). */
  async function searchTokens(
    search: string,
    chains: readonly ChainIndex[],
    options: TokenSearchOptions = {},
  ): Promise<TokenSearchResult[]> {
    const path = `${BASE}/search`;
    const shape = new OkxShape(path);
    const query = {
      chains: chains.join(','),
      search,
      limit: clampLimit(options.limit, MAX_SEARCH_LIMIT),
      cursor: options.cursor,
    };
    const data = await http.request({ method: 'GET', path, query, family: 'token', required: ['chains', 'search'] });
    return shape.records(data, 'data').map(({ item, path: at }) => {
      const extras = omitUndefined({
        priceUsd: shape.optionalPrice(item, 'price', at),
        marketCapUsd: shape.optionalDecimal(item, 'marketCap', at),
        liquidityUsd: shape.optionalDecimal(item, 'liquidity', at),
        change24hPercent: shape.optionalDecimal(item, 'change', at),
      });
      const chainIndex = shape.stringish(item, 'chainIndex', at);
      return {
        chainIndex,
        tokenAddress: fromAggregatorAddress(chainIndex, shape.string(item, 'tokenContractAddress', at)),
        ...readInfo(shape, item, at),
        ...extras,
      };
    });
  }

  return { getTokenInfo, searchTokens };
}
