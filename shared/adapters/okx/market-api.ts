import type { Candle, CandleRequest, TokenPrice } from '../../domain/ports/market-data-port';
import type { DecimalString, TokenRef } from '../../domain/types';
import { chunk } from './chunk';
import { marketKey, toMarketAddress } from './native-address';
import type { OkxHttp } from './okx-http';
import { OkxShape } from './okx-shape';

const BASE = '/api/v6/dex/market';
export const MAX_TOKENS_PER_PRICE_CALL = 100;
export const MAX_CANDLES = 299;

export interface OkxCandle extends Candle {
  /** Volume in token units. */
  readonly volume: DecimalString;
  readonly volumeUsd: DecimalString;
}

/**
 * Sends each distinct wire token once (native SOL as wSOL) in batches, and answers per requested
 * token, matched by chainIndex + lower-cased address, never by position. Absent = unpriced.
 */
export async function fetchBatched<T>(
  tokens: readonly TokenRef[],
  batchSize: number,
  fetchBatch: (wire: { chainIndex: string; tokenContractAddress: string }[]) => Promise<Map<string, T>>,
): Promise<{ token: TokenRef; answer: T }[]> {
  const wire = new Map<string, { chainIndex: string; tokenContractAddress: string }>();
  for (const token of tokens) {
    const tokenContractAddress = toMarketAddress(token.chainIndex, token.tokenAddress);
    wire.set(marketKey(token.chainIndex, tokenContractAddress), { chainIndex: token.chainIndex, tokenContractAddress });
  }
  const answers = new Map<string, T>();
  for (const batch of await Promise.all(chunk([...wire.values()], batchSize).map(fetchBatch))) for (const [key, value] of batch) answers.set(key, value);
  return tokens.flatMap((token) => {
    const answer = answers.get(marketKey(token.chainIndex, toMarketAddress(token.chainIndex, token.tokenAddress)));
    return answer === undefined ? [] : [{ token: { chainIndex: token.chainIndex, tokenAddress: token.tokenAddress }, answer }];
  });
}

export function createMarketApi(http: OkxHttp) {
  async function getSpotPrices(tokens: readonly TokenRef[]): Promise<TokenPrice[]> {
    const path = `${BASE}/price`;
    const shape = new OkxShape(path);
    const found = await fetchBatched(tokens, MAX_TOKENS_PER_PRICE_CALL, async (batch) => {
      const data = await http.request({ method: 'POST', path, body: batch, family: 'market' });
      const prices = new Map<string, { priceUsd: DecimalString; time: string }>();
      for (const { item, path: at } of shape.records(data, 'data')) {
        const key = marketKey(shape.stringish(item, 'chainIndex', at), shape.string(item, 'tokenContractAddress', at));
        const priceUsd = shape.optionalDecimal(item, 'price', at);
        if (priceUsd !== undefined) prices.set(key, { priceUsd, time: shape.msTime(item.time, `${at}.time`) });
      }
      return prices;
    });
    return found.map(({ token, answer }) => ({ ...token, ...answer }));
  }

  async function fetchCandles(endpoint: 'candles' | 'historical-candles', request: CandleRequest): Promise<OkxCandle[]> {
    const path = `${BASE}/${endpoint}`;
    const shape = new OkxShape(path);
    const query = {
      chainIndex: request.chainIndex,
      tokenContractAddress: toMarketAddress(request.chainIndex, request.tokenAddress),
      bar: request.bar,
      after: request.before ? String(request.before.getTime()) : undefined,
      limit: request.limit === undefined ? undefined : String(Math.min(MAX_CANDLES, Math.max(1, Math.floor(request.limit)))),
    };
    const data = await http.request({ method: 'GET', path, query, family: 'market' });
    return shape.array(data, 'data').map((row, index) => parseCandle(shape, row, `data[${index}]`));
  }

  /** Recent candles, newest first; the first may still be open (`isClosed: false`). */
  function getCandles(request: CandleRequest): Promise<OkxCandle[]> {
    return fetchCandles('candles', request);
  }

  /** Closed candles only, newest first (the endpoint serves closed ones; we drop any open row anyway). */
  async function getHistoricalCandles(request: CandleRequest): Promise<OkxCandle[]> {
    return (await fetchCandles('historical-candles', request)).filter((candle) => candle.isClosed);
  }

  return { getSpotPrices, getCandles, getHistoricalCandles };
}

const COLUMNS = ['ts', 'o', 'h', 'l', 'c', 'vol', 'volUsd', 'confirm'] as const;

/** One `[ts, o, h, l, c, vol, volUsd, confirm]` row of string columns (okx-api §7.3). */
function parseCandle(shape: OkxShape, row: unknown, path: string): OkxCandle {
  const columns = shape.array(row, path);
  if (columns.length < COLUMNS.length) shape.fail(path, `has ${columns.length} columns, expected ${COLUMNS.length}`);
  const named = Object.fromEntries(COLUMNS.map((name, index) => [name, columns[index]]));
  const confirm = named.confirm;
  if (confirm !== '0' && confirm !== '1') shape.fail(`${path}[7]`, 'is not "0" or "1"');
  return {
    time: shape.msTime(named.ts, `${path}[0]`),
    open: shape.decimal(named, 'o', path),
    high: shape.decimal(named, 'h', path),
    low: shape.decimal(named, 'l', path),
    close: shape.decimal(named, 'c', path),
    volume: shape.decimal(named, 'vol', path),
    volumeUsd: shape.decimal(named, 'volUsd', path),
    isClosed: confirm === '1',
  };
}
