import { fromRawUnits, ZERO } from '../../kernel/decimal';
import type { ChainIndex, DecimalString } from '../../kernel/types';
import { clampLimit } from './clamp-limit';
import { OkxEmptyParameterError } from './okx-errors';
import type { OkxHttp } from './okx-http';
import { OkxShape, type Json } from './okx-shape';

const PRE = '/api/v6/dex/pre-transaction';
const POST_TX = '/api/v6/dex/post-transaction';
export const MAX_ORDERS_LIMIT = 100;

export interface GasPrice {
  /** Legacy gas price (wei; SUN on Tron). */
  readonly normal?: DecimalString;
  readonly min?: DecimalString;
  readonly max?: DecimalString;
  readonly supportsEip1559: boolean;
  readonly eip1559?: {
    suggestBaseFee?: DecimalString;
    baseFee?: DecimalString;
    proposePriorityFee?: DecimalString;
    safePriorityFee?: DecimalString;
    fastPriorityFee?: DecimalString;
  };
  /** Solana, micro-lamports per compute unit. */
  readonly priorityFee?: {
    proposePriorityFee?: DecimalString;
    safePriorityFee?: DecimalString;
    fastPriorityFee?: DecimalString;
    extremePriorityFee?: DecimalString;
  };
}

export interface TransactionRequest {
  readonly chainIndex: ChainIndex;
  readonly fromAddress: string;
  readonly toAddress: string;
  /** Minimal units; default "0". */
  readonly txAmount?: DecimalString;
  /** Calldata. */
  readonly inputData?: string;
}

export interface SimulationResult {
  readonly intention: string;
  /** `rawValue` signed minimal units (negative = outflow); `amount` the same in token units. */
  readonly assetChanges: {
    assetType: string;
    symbol: string;
    decimals: number;
    address: string;
    rawValue: DecimalString;
    amount: DecimalString;
  }[];
  readonly gasUsed?: DecimalString;
  /** '' on success. */
  readonly failReason: string;
  readonly risks: { address: string; addressType: string }[];
}

export type OrderTxStatus = 'pending' | 'success' | 'failed' | 'unknown';

export interface OrderStatus {
  readonly chainIndex: ChainIndex;
  readonly address: string;
  readonly orderId: string;
  readonly txStatus: OrderTxStatus;
  readonly failReason: string;
  readonly txHash: string;
}

const TX_STATUS: Record<string, OrderTxStatus> = { '1': 'pending', '2': 'success', '3': 'failed' };
const STATUS_CODE: Record<Exclude<OrderTxStatus, 'unknown'>, string> = { pending: '1', success: '2', failed: '3' };

function pickDecimals<K extends string>(
  shape: OkxShape,
  value: unknown,
  path: string,
  keys: readonly K[],
): Partial<Record<K, DecimalString>> | undefined {
  if (value === undefined || value === null) return undefined;
  const obj = shape.record(value, path);
  const entries = keys
    .map((key) => [key, shape.optionalDecimal(obj, key, path)] as const)
    .filter(([, amount]) => amount !== undefined);
  return Object.fromEntries(entries) as Partial<Record<K, DecimalString>>;
}

function readAssetChange(shape: OkxShape, change: Json, at: string): SimulationResult['assetChanges'][number] {
  const decimals = shape.decimals(change, 'decimals', at);
  const rawValue = shape.string(change, 'rawValue', at);
  const magnitude = rawValue.startsWith('-') ? rawValue.slice(1) : rawValue;
  if (!/^\d+$/.test(magnitude)) shape.fail(`${at}.rawValue`, 'is not a signed integer string of minimal units');
  const amount = fromRawUnits(magnitude, decimals);
  return {
    assetType: shape.string(change, 'assetType', at),
    symbol: shape.optionalString(change, 'symbol', at) ?? '',
    decimals,
    address: shape.optionalString(change, 'address', at) ?? '',
    rawValue,
    amount: (rawValue.startsWith('-') && !amount.eq(ZERO) ? amount.neg() : amount).toString(),
  };
}

function transactionBody(request: TransactionRequest): Json {
  return {
    chainIndex: request.chainIndex,
    fromAddress: request.fromAddress,
    toAddress: request.toAddress,
    txAmount: request.txAmount ?? '0',
    ...(request.inputData !== undefined ? { extJson: { inputData: request.inputData } } : {}),
  };
}

export function createGatewayApi(http: OkxHttp) {
  /** okx-api §10.2; accepts `supporteip1559`/`supportEip1559` and `eip1559Protocol`/`eip1599Protocol`. */
  async function getGasPrice(chainIndex: ChainIndex): Promise<GasPrice> {
    const path = `${PRE}/gas-price`;
    const shape = new OkxShape(path);
    const { item, path: at } = shape.first(
      await http.request({ method: 'GET', path, query: { chainIndex }, family: 'gateway' }),
    );
    const legacy = pickDecimals(shape, item, at, ['normal', 'min', 'max'] as const)!;
    const eip1559 = pickDecimals(shape, item.eip1559Protocol ?? item.eip1599Protocol, `${at}.eip1559Protocol`, [
      'suggestBaseFee',
      'baseFee',
      'proposePriorityFee',
      'safePriorityFee',
      'fastPriorityFee',
    ] as const);
    const priorityFee = pickDecimals(shape, item.priorityFee, `${at}.priorityFee`, [
      'proposePriorityFee',
      'safePriorityFee',
      'fastPriorityFee',
      'extremePriorityFee',
    ] as const);
    return {
      ...legacy,
      supportsEip1559: shape.boolean(item, 'supporteip1559' in item ? 'supporteip1559' : 'supportEip1559', at, false),
      ...(eip1559 ? { eip1559 } : {}),
      ...(priorityFee ? { priorityFee } : {}),
    };
  }

  /** okx-api §10.3. */
  async function getGasLimit(request: TransactionRequest): Promise<DecimalString> {
    const path = `${PRE}/gas-limit`;
    const shape = new OkxShape(path);
    const { item, path: at } = shape.first(
      await http.request({ method: 'POST', path, body: transactionBody(request), family: 'gateway' }),
    );
    return shape.decimal(item, 'gasLimit', at);
  }

  /** okx-api §10.4 (POST, whatever the docs header says; whitelisted feature). */
  async function simulate(
    request: TransactionRequest & { gasPrice?: DecimalString; priorityFee?: DecimalString },
  ): Promise<SimulationResult> {
    const path = `${PRE}/simulate`;
    const shape = new OkxShape(path);
    const body = {
      ...transactionBody(request),
      ...(request.gasPrice ? { gasPrice: request.gasPrice } : {}),
      ...(request.priorityFee ? { priorityFee: request.priorityFee } : {}),
    };
    const { item, path: at } = shape.first(await http.request({ method: 'POST', path, body, family: 'gateway' }));
    const gasUsed = shape.optionalDecimal(item, 'gasUsed', at);
    return {
      intention: shape.optionalString(item, 'intention', at) ?? '',
      assetChanges: shape
        .records(item.assetChange ?? [], `${at}.assetChange`)
        .map(({ item: change, path: cat }) => readAssetChange(shape, change, cat)),
      ...(gasUsed !== undefined ? { gasUsed } : {}),
      failReason: shape.optionalString(item, 'failReason', at) ?? '',
      risks: shape.records(item.risks ?? [], `${at}.risks`).map(({ item: risk, path: rat }) => ({
        address: shape.string(risk, 'address', rat),
        addressType: shape.optionalString(risk, 'addressType', rat) ?? '',
      })),
    };
  }

  /** okx-api §10.5; `extraData` goes out as a JSON-encoded string. */
  async function broadcast(request: {
    chainIndex: ChainIndex;
    address: string;
    signedTx: string;
    extraData?: Json;
  }): Promise<{ orderId: string; txHash: string }> {
    const path = `${PRE}/broadcast-transaction`;
    const shape = new OkxShape(path);
    const body = {
      signedTx: request.signedTx,
      chainIndex: request.chainIndex,
      address: request.address,
      ...(request.extraData ? { extraData: JSON.stringify(request.extraData) } : {}),
    };
    // Never retried: OKX may have sent it on before failing to answer, and a second send could double-spend.
    const { item, path: at } = shape.first(
      await http.request({
        method: 'POST',
        path,
        body,
        family: 'gateway',
        isOnce: true,
        required: ['signedTx', 'chainIndex', 'address'],
      }),
    );
    return { orderId: shape.stringish(item, 'orderId', at), txHash: shape.optionalString(item, 'txHash', at) ?? '' };
  }

  /** okx-api §10.6; reads `txStatus` or the example's `txstatus`. */
  async function getOrderStatus(request: {
    chainIndex: ChainIndex;
    address: string;
    orderId?: string;
    txStatus?: Exclude<OrderTxStatus, 'unknown'>;
    cursor?: string;
    limit?: number;
  }): Promise<{ cursor?: string; orders: OrderStatus[] }> {
    const path = `${POST_TX}/orders`;
    const shape = new OkxShape(path);
    const query = {
      address: request.address,
      chainIndex: request.chainIndex,
      txStatus: request.txStatus ? STATUS_CODE[request.txStatus] : undefined,
      orderId: request.orderId,
      cursor: request.cursor,
      limit: clampLimit(request.limit, MAX_ORDERS_LIMIT),
    };
    const pages = shape.records(await http.request({ method: 'GET', path, query, family: 'gateway' }), 'data');
    const cursor = pages.length > 0 ? shape.optionalString(pages[0]!.item, 'cursor', pages[0]!.path) : undefined;
    const orders = pages.flatMap(({ item, path: at }) =>
      shape.records(item.orders, `${at}.orders`).map(({ item: order, path: oat }) => ({
        chainIndex: shape.stringish(order, 'chainIndex', oat),
        address: shape.optionalString(order, 'address', oat) ?? request.address,
        orderId: shape.stringish(order, 'orderId', oat),
        txStatus: TX_STATUS[shape.stringish(order, 'txStatus' in order ? 'txStatus' : 'txstatus', oat)] ?? 'unknown',
        failReason: shape.optionalString(order, 'failReason', oat) ?? '',
        txHash: shape.optionalString(order, 'txHash', oat) ?? '',
      })),
    );
    return { ...(cursor ? { cursor } : {}), orders };
  }

  /**
   * How much of each token `spender` may spend from `address` (`pre-transaction/check-approvals`; source:
   * okx/onchainos-skills cli/src/commands/swap.rs `fetch_check_approvals`). `spendable` is minimal units.
   */
  async function checkApprovals(request: {
    chainIndex: ChainIndex;
    address: string;
    tokenAddress: string;
    spender?: string;
  }): Promise<{ tokenAddress: string; spendable: DecimalString }> {
    const path = `${PRE}/check-approvals`;
    const shape = new OkxShape(path);
    const body = {
      chainIndex: request.chainIndex,
      address: request.address,
      tokens: [{ tokenContractAddress: request.tokenAddress }],
      ...(request.spender ? { spender: request.spender } : {}),
    };
    if (request.tokenAddress === '') throw new OkxEmptyParameterError(path, 'tokens[0].tokenContractAddress');
    const { item, path: at } = shape.first(
      await http.request({ method: 'POST', path, body, family: 'gateway', required: ['chainIndex', 'address'] }),
    );
    const tokens = shape.records(item.tokens, `${at}.tokens`);
    const match =
      tokens.find(
        ({ item: token }) =>
          String(token.tokenContractAddress ?? '').toLowerCase() === request.tokenAddress.toLowerCase(),
      ) ?? tokens[0];
    if (!match) return shape.fail(`${at}.tokens`, 'is empty');
    const spendable = shape.stringish(match.item, 'spendable', match.path);
    if (!/^\d+$/.test(spendable)) shape.fail(`${match.path}.spendable`, 'is not an integer string of minimal units');
    return { tokenAddress: request.tokenAddress, spendable };
  }

  return { getGasPrice, getGasLimit, simulate, broadcast, getOrderStatus, checkApprovals };
}
