import type { Candle, CandleRequest, TokenPrice } from './market-data-port';
import type { DecimalString, TokenRef } from '../../kernel/types';
import { clampLimit } from './clamp-limit';
import { fetchPerToken } from './fetch-per-token';
import { toMarketAddress } from './native-address';
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

export function createMarketApi(http: OkxHttp) {
  /** Spot prices in batches of 100; unpriced tokens are absent from the answer. */
  function getSpotPrices(tokens: readonly TokenRef[]): Promise<TokenPrice[]> {
    const endpoint = { path: `${BASE}/price`, family: 'market', batchSize: MAX_TOKENS_PER_PRICE_CALL } as const;
    return fetchPerToken(http, endpoint, tokens, (shape, item, at) => {
      const priceUsd = shape.optionalPrice(item, 'price', at);
      return priceUsd === undefined ? undefined : { priceUsd, time: shape.msTime(item.time, `${at}.time`) };
    });
  }

  async function fetchCandles(
    endpoint: 'candles' | 'historical-candles',
    request: CandleRequest,
  ): Promise<OkxCandle[]> {
    const path = `${BASE}/${endpoint}`;
    const shape = new OkxShape(path);
    const query = {
      chainIndex: request.chainIndex,
      tokenContractAddress: toMarketAddress(request.chainIndex, request.tokenAddress),
      bar: request.bar,
      after: request.before ? String(request.before.getTime()) : undefined,
      limit: clampLimit(request.limit, MAX_CANDLES),
    };
    const data = await http.request({
      method: 'GET',
      path,
      query,
      family: 'market',
      required: ['chainIndex', 'tokenContractAddress'],
    });
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
    open: shape.price(named, 'o', path),
    high: shape.price(named, 'h', path),
    low: shape.price(named, 'l', path),
    close: shape.price(named, 'c', path),
    volume: shape.decimal(named, 'vol', path),
    volumeUsd: shape.decimal(named, 'volUsd', path),
    isClosed: confirm === '1',
  };
}
