import type { TokenRef } from '../../kernel/types';
import type { EndpointFamily } from './circuit-breaker';
import { chunk } from '../helpers';
import { marketKey, toMarketAddress } from './native-address';
import type { OkxHttp } from './okx-http';
import { OkxShape, type Json } from './okx-shape';

/** Both fields of every `{chainIndex, tokenContractAddress}` item are required (okx-api §7.2, §8.1). */
const TOKEN_ITEM_FIELDS = ['chainIndex', 'tokenContractAddress'] as const;

export interface PerTokenEndpoint {
  readonly path: string;
  readonly family: EndpointFamily;
  /** Most tokens one POST may carry. */
  readonly batchSize: number;
}

/**
 * POSTs each distinct wire token once (natives as `toMarketAddress` says, never '') in batches of `{chainIndex, tokenContractAddress}`
 * and answers per requested token, matched by chainIndex + lower-cased address, never by position. A row
 * `read` returns undefined for, and a token OKX left out, is absent from the answer.
 */
export async function fetchPerToken<T extends object>(
  http: OkxHttp,
  endpoint: PerTokenEndpoint,
  tokens: readonly TokenRef[],
  read: (shape: OkxShape, item: Json, at: string) => T | undefined,
): Promise<(TokenRef & T)[]> {
  const shape = new OkxShape(endpoint.path);
  const requested = tokens.map((token) => {
    const tokenContractAddress = toMarketAddress(token.chainIndex, token.tokenAddress);
    return {
      token: { chainIndex: token.chainIndex, tokenAddress: token.tokenAddress },
      key: marketKey(token.chainIndex, tokenContractAddress),
      tokenContractAddress,
    };
  });
  const wire = new Map(
    requested.map(({ token, key, tokenContractAddress }) => [
      key,
      { chainIndex: token.chainIndex, tokenContractAddress },
    ]),
  );
  const answers = new Map<string, T>();
  const fetchBatch = async (batch: Json[]): Promise<void> => {
    const data = await http.request({
      method: 'POST',
      path: endpoint.path,
      body: batch,
      family: endpoint.family,
      required: TOKEN_ITEM_FIELDS,
    });
    for (const { item, path: at } of shape.records(data, 'data')) {
      const key = marketKey(shape.stringish(item, 'chainIndex', at), shape.string(item, 'tokenContractAddress', at));
      const answer = read(shape, item, at);
      if (answer !== undefined) answers.set(key, answer);
    }
  };
  await Promise.all(chunk([...wire.values()], endpoint.batchSize).map(fetchBatch));
  return requested.flatMap(({ token, key }) => {
    const answer = answers.get(key);
    return answer === undefined ? [] : [{ ...token, ...answer }];
  });
}
