import { Dec, fromRawUnits, HUNDRED, toDecimal } from '../../kernel/decimal';
import type { ChainIndex, DecimalString } from '../../kernel/types';
import { isOkxApiError } from './okx-errors';
import { fromAggregatorAddress, isEvmAddress, toAggregatorAddress } from './native-address';
import type { OkxHttp } from './okx-http';
import { omitUndefined, OkxShape, type Json } from './okx-shape';

const BASE = '/api/v6/dex/aggregator';
/** "This chain needs no authorization" (okx-api §4.2). */
const NO_APPROVAL_NEEDED = '82130';
/** Required by quote and swap (okx-api §9.5, §9.6). */
const QUOTE_REQUIRED = ['chainIndex', 'amount', 'fromTokenAddress', 'toTokenAddress'] as const;

/** Structurally the rebalance flow's UnsignedTransaction (the adapter does not import services). */
export interface UnsignedTransaction {
  readonly to: string;
  readonly data: string;
  /** Native amount in the chain's smallest unit. */
  readonly value?: DecimalString;
  readonly gas?: DecimalString;
  /** Wei; the swap's `gasPrice` (legacy, or the max fee on EIP-1559 chains) and `maxPriorityFeePerGas`. */
  readonly gasPrice?: DecimalString;
  readonly maxPriorityFeePerGas?: DecimalString;
  /** Extra signing data OKX returned (Solana: additional signers); `[""]` on EVM is dropped. */
  readonly signatureData?: readonly string[];
}

export interface QuoteRequest {
  readonly chainIndex: ChainIndex;
  /** '' = native coin (sent as the aggregator placeholder). */
  readonly fromTokenAddress: string;
  readonly toTokenAddress: string;
  /** Minimal units of the from token. */
  readonly amountRaw: DecimalString;
  /** When given, `minReceivedRaw` is derived with the aggregator's own floor rule. */
  readonly slippagePercent?: DecimalString;
}

export interface SwapRequest extends QuoteRequest {
  readonly slippagePercent: DecimalString;
  readonly userWalletAddress: string;
  /** The signing flow decides approvals with check-approvals itself: no approve-transaction call. */
  readonly skipApproval?: boolean;
}

export type SwapHistoryStatus = 'pending' | 'success' | 'fail';

/** One transaction as the aggregator's history knows it (okx-api §9.8); amounts are minimal units. */
export interface SwapHistory {
  readonly txHash: string;
  readonly status: SwapHistoryStatus;
  readonly txType: string;
  readonly fromToken?: { symbol: string; amountRaw: DecimalString; tokenAddress: string };
  readonly toToken?: { symbol: string; amountRaw: DecimalString; tokenAddress: string };
  readonly errorMsg: string;
  /** Native coin spent on gas, as OKX gives it. */
  readonly txFee?: DecimalString;
}

export interface QuoteResult {
  readonly fromTokenAddress: string;
  readonly toTokenAddress: string;
  readonly fromAmountRaw: DecimalString;
  readonly toAmountRaw: DecimalString;
  /** Token units (the token's `decimal` applied exactly); absent when OKX sent no decimals. */
  readonly fromAmount?: DecimalString;
  readonly toAmount?: DecimalString;
  readonly minReceivedRaw?: DecimalString;
  /**
   * Percent as OKX documents it: (received value − paid value) / paid value, so a loss is NEGATIVE
   * (okx-api §9.5). Shown to the user as is; costs are never decided on its sign. Undefined when OKX sent null.
   */
  readonly priceImpactPercent?: DecimalString;
  /** USD per whole token, the quote's own `fromToken.tokenUnitPrice` / `toToken.tokenUnitPrice`; absent when null. */
  readonly fromTokenUnitPrice?: DecimalString;
  readonly toTokenUnitPrice?: DecimalString;
  /** Gas units, as OKX's `estimateGasFee` (not wei). */
  readonly estimateGasFee?: DecimalString;
  /** Estimated network fee in USD: OKX's `tradeFee`, documented as the USD network fee (okx-api §9.5). */
  readonly gasUsd?: DecimalString;
}

export interface SwapResult {
  readonly tx: UnsignedTransaction;
  readonly minReceivedRaw: DecimalString;
  /** ERC-20 allowance for the aggregator's spender; absent for native coins and non-EVM chains. */
  readonly approveTx?: UnsignedTransaction;
}

export interface ApproveTransaction {
  /** Send to the token contract; calldata approves `spender`. */
  readonly tx: UnsignedTransaction;
  readonly spender: string;
  readonly gasPrice?: DecimalString;
}

function quoteQuery(request: QuoteRequest): Record<string, string> {
  return {
    chainIndex: request.chainIndex,
    amount: request.amountRaw,
    swapMode: 'exactIn',
    fromTokenAddress: toAggregatorAddress(request.chainIndex, request.fromTokenAddress),
    toTokenAddress: toAggregatorAddress(request.chainIndex, request.toTokenAddress),
  };
}

/** The aggregator's own rule (okx-api §9.6): floor(toAmount x (100 - slippage) / 100). */
function floorAtSlippage(toAmountRaw: DecimalString, slippagePercent: DecimalString): DecimalString {
  return toDecimal(toAmountRaw)
    .times(HUNDRED.minus(toDecimal(slippagePercent)))
    .div(HUNDRED)
    .round(0, Dec.roundDown)
    .toFixed(0);
}

function readQuote(
  shape: OkxShape,
  result: Json,
  at: string,
  chainIndex: ChainIndex,
  slippagePercent?: DecimalString,
): QuoteResult {
  const toAmountRaw = shape.rawUnits(result, 'toTokenAmount', at);
  const fromAmountRaw = shape.rawUnits(result, 'fromTokenAmount', at);
  const token = (key: 'fromToken' | 'toToken') => shape.record(result[key], `${at}.${key}`);
  const tokenAddress = (key: 'fromToken' | 'toToken'): string =>
    fromAggregatorAddress(chainIndex, shape.string(token(key), 'tokenContractAddress', `${at}.${key}`));
  const uiAmount = (key: 'fromToken' | 'toToken', raw: DecimalString): DecimalString | undefined => {
    const details = token(key);
    if (details.decimal === undefined || details.decimal === null || details.decimal === '') return undefined;
    return fromRawUnits(raw, shape.decimals(details, 'decimal', `${at}.${key}`)).toString();
  };
  const optional = {
    fromAmount: uiAmount('fromToken', fromAmountRaw),
    toAmount: uiAmount('toToken', toAmountRaw),
    minReceivedRaw: slippagePercent === undefined ? undefined : floorAtSlippage(toAmountRaw, slippagePercent),
    priceImpactPercent: shape.optionalDecimal(result, 'priceImpactPercent', at),
    estimateGasFee: shape.optionalDecimal(result, 'estimateGasFee', at),
    gasUsd: shape.optionalDecimal(result, 'tradeFee', at),
    fromTokenUnitPrice: shape.optionalPrice(token('fromToken'), 'tokenUnitPrice', `${at}.fromToken`),
    toTokenUnitPrice: shape.optionalPrice(token('toToken'), 'tokenUnitPrice', `${at}.toToken`),
  };
  return {
    fromTokenAddress: tokenAddress('fromToken'),
    toTokenAddress: tokenAddress('toToken'),
    fromAmountRaw,
    toAmountRaw,
    ...omitUndefined(optional),
  };
}

export function createAggregatorApi(http: OkxHttp) {
  /** Expected output for an exact input (okx-api §9.5). */
  async function getQuote(request: QuoteRequest): Promise<QuoteResult> {
    const path = `${BASE}/quote`;
    const shape = new OkxShape(path);
    const { item, path: at } = shape.first(
      await http.request({
        method: 'GET',
        path,
        query: quoteQuery(request),
        family: 'aggregator',
        required: QUOTE_REQUIRED,
      }),
    );
    return readQuote(shape, item, at, request.chainIndex, request.slippagePercent);
  }

  /** ERC-20 approve calldata for the aggregator's spender (okx-api §9.4). */
  async function getApproveTransaction(request: {
    chainIndex: ChainIndex;
    tokenAddress: string;
    amountRaw: DecimalString;
  }): Promise<ApproveTransaction> {
    const path = `${BASE}/approve-transaction`;
    const shape = new OkxShape(path);
    const query = {
      chainIndex: request.chainIndex,
      tokenContractAddress: request.tokenAddress,
      approveAmount: request.amountRaw,
    };
    const { item, path: at } = shape.first(
      await http.request({
        method: 'GET',
        path,
        query,
        family: 'aggregator',
        required: ['chainIndex', 'tokenContractAddress', 'approveAmount'],
      }),
    );
    const gas = shape.optionalDecimal(item, 'gasLimit', at);
    const gasPrice = shape.optionalDecimal(item, 'gasPrice', at);
    return {
      tx: {
        to: request.tokenAddress,
        data: shape.string(item, 'data', at),
        value: '0',
        ...(gas !== undefined ? { gas } : {}),
      },
      spender: shape.string(item, 'dexContractAddress', at),
      ...(gasPrice !== undefined ? { gasPrice } : {}),
    };
  }

  /** Swap calldata (okx-api §9.6), plus the approval when selling an ERC-20 (82130 = none needed). */
  async function getSwap(request: SwapRequest): Promise<SwapResult> {
    const path = `${BASE}/swap`;
    const shape = new OkxShape(path);
    const query = {
      ...quoteQuery(request),
      userWalletAddress: request.userWalletAddress,
      slippagePercent: request.slippagePercent,
    };
    const { item, path: at } = shape.first(
      await http.request({
        method: 'GET',
        path,
        query,
        family: 'aggregator',
        required: [...QUOTE_REQUIRED, 'userWalletAddress', 'slippagePercent'],
      }),
    );
    const tx = shape.record(item.tx, `${at}.tx`);
    const txAt = `${at}.tx`;
    const value = shape.optionalDecimal(tx, 'value', txAt);
    const signatureData = Array.isArray(tx.signatureData)
      ? tx.signatureData.filter((entry): entry is string => typeof entry === 'string' && entry !== '')
      : [];
    const swap = {
      tx: {
        to: shape.string(tx, 'to', txAt),
        data: shape.string(tx, 'data', txAt),
        value: value ?? '0',
        ...omitUndefined({
          gas: shape.optionalDecimal(tx, 'gas', txAt),
          gasPrice: shape.optionalDecimal(tx, 'gasPrice', txAt),
          maxPriorityFeePerGas: shape.optionalDecimal(tx, 'maxPriorityFeePerGas', txAt),
        }),
        ...(signatureData.length > 0 ? { signatureData } : {}),
      },
      minReceivedRaw: shape.rawUnits(tx, 'minReceiveAmount', txAt),
    };
    if (request.skipApproval || !isEvmAddress(request.fromTokenAddress)) return swap;
    try {
      const approve = await getApproveTransaction({
        chainIndex: request.chainIndex,
        tokenAddress: request.fromTokenAddress,
        amountRaw: request.amountRaw,
      });
      return { ...swap, approveTx: approve.tx };
    } catch (error) {
      if (isOkxApiError(error) && error.code === NO_APPROVAL_NEEDED) return swap;
      throw error;
    }
  }

  /**
   * A transaction's outcome by hash (okx-api §9.8; the v5 page `dex-swap-history` documents the same fields, with
   * `fromTokenDetails`/`toTokenDetails` as arrays and `failure` for a failed one): read as an object or a one-item list.
   */
  async function getSwapHistory(request: { chainIndex: ChainIndex; txHash: string }): Promise<SwapHistory> {
    const path = `${BASE}/history`;
    const shape = new OkxShape(path);
    const data = await http.request({
      method: 'GET',
      path,
      query: { chainIndex: request.chainIndex, txHash: request.txHash },
      family: 'aggregator',
      required: ['chainIndex', 'txHash'],
    });
    const { item, path: at } = Array.isArray(data)
      ? shape.first(data)
      : { item: shape.record(data, 'data'), path: 'data' };
    const status = (shape.optionalString(item, 'status', at) ?? '').toLowerCase();
    const details = (key: 'fromTokenDetails' | 'toTokenDetails') => {
      const raw = item[key];
      const value = Array.isArray(raw) ? raw[0] : raw;
      if (value === undefined || value === null || value === '') return undefined;
      const detail = shape.record(value, `${at}.${key}`);
      return {
        symbol: shape.optionalString(detail, 'symbol', `${at}.${key}`) ?? '',
        amountRaw: shape.rawUnits(detail, 'amount', `${at}.${key}`),
        tokenAddress: fromAggregatorAddress(
          request.chainIndex,
          shape.optionalString(detail, 'tokenAddress', `${at}.${key}`) ?? '',
        ),
      };
    };
    return {
      txHash: shape.optionalString(item, 'txHash', at) ?? request.txHash,
      status: status === 'success' ? 'success' : status === 'fail' || status === 'failure' ? 'fail' : 'pending',
      txType: shape.optionalString(item, 'txType', at) ?? '',
      ...omitUndefined({
        fromToken: details('fromTokenDetails'),
        toToken: details('toTokenDetails'),
        txFee: shape.optionalDecimal(item, 'txFee', at),
      }),
      errorMsg: shape.optionalString(item, 'errorMsg', at) ?? '',
    };
  }

  return { getQuote, getSwap, getApproveTransaction, getSwapHistory };
}
