import { addressKind, aggregatorAddress, normalizeWallet } from '../addresses';
import { CHAINS, isTradeChain, logoUrl, type SandboxChain } from '../chains';
import { isUnsignedDecimal } from '../decimal';
import { OkxApiError } from '../envelope';
import { badParam, requireChain, requireParam } from '../params';
import { computeQuote, type QuoteMath } from '../quote-math';
import type { TokenSpec } from '../tokens';
import { approveCalldata, buildSwap } from './swap-builder';
import type { Route, RouteContext } from './types';

const BASE = '/api/v6/dex/aggregator';

export interface QuoteContext {
  readonly chain: SandboxChain;
  readonly from: TokenSpec;
  readonly to: TokenSpec;
  readonly amount: bigint;
  readonly math: QuoteMath;
}

const tradeChain = (context: RouteContext) =>
  requireChain('aggregator', requireParam(context.query, 'chainIndex'), isTradeChain);

function findTradeToken(context: RouteContext, chain: SandboxChain, param: string): TokenSpec {
  const token = context.world.findToken(chain.chainIndex, requireParam(context.query, param));
  if (!token) throw new OkxApiError('82104', `Token ${context.query.get(param)} is not supported`, 200);
  return token;
}

function tokenObject(token: TokenSpec) {
  return {
    decimal: String(token.decimals),
    isHoneyPot: false,
    taxRate: '0',
    tokenContractAddress: aggregatorAddress(token.chainIndex, token.address),
    tokenSymbol: token.symbol,
    tokenUnitPrice: token.priceUsd ?? null,
  };
}

function quoteFor(context: RouteContext): QuoteContext {
  const chain = tradeChain(context);
  const amountText = requireParam(context.query, 'amount');
  if (!/^\d+$/.test(amountText)) throw badParam('aggregator', 'amount');
  const swapMode = context.query.get('swapMode') || 'exactIn';
  if (swapMode !== 'exactIn') throw badParam('aggregator', 'swapMode');
  const from = findTradeToken(context, chain, 'fromTokenAddress');
  const to = findTradeToken(context, chain, 'toTokenAddress');
  if (from === to) throw badParam('aggregator', 'toTokenAddress');
  const amount = BigInt(amountText);
  if (amount === 0n) throw new OkxApiError('82102', 'The amount is below the minimum 1', 200);
  const protection = context.query.get('priceImpactProtectionPercent') || '90';
  if (!isUnsignedDecimal(protection) || Number(protection) > 100)
    throw badParam('aggregator', 'priceImpactProtectionPercent');
  const native = context.world.findToken(chain.chainIndex, '');
  return { chain, from, to, amount, math: computeQuote(chain, from, to, amount, protection, native?.priceUsd) };
}

function routerResult(context: RouteContext, quote: QuoteContext) {
  const { chain, from, to, math } = quote;
  const dexName = chain.kind === 'solana' ? 'Raydium' : chain.chainIndex === '56' ? 'PancakeSwap V3' : 'Uniswap V3';
  return {
    chainIndex: chain.chainIndex,
    contextSlot: Math.floor(context.nowMs / (chain.kind === 'solana' ? 400 : 12_000)),
    swapMode: 'exactIn',
    dexRouterList: [
      {
        dexProtocol: { dexName, percent: '100' },
        fromToken: tokenObject(from),
        fromTokenIndex: '0',
        toToken: tokenObject(to),
        toTokenIndex: '1',
      },
    ],
    estimateGasFee: math.estimateGasFee,
    fromToken: tokenObject(from),
    fromTokenAmount: quote.amount.toString(),
    priceImpactPercent: math.priceImpactPercent,
    router: `${aggregatorAddress(chain.chainIndex, from.address)}--${aggregatorAddress(chain.chainIndex, to.address)}`,
    toToken: tokenObject(to),
    toTokenAmount: math.toTokenAmount.toString(),
    tradeFee: math.tradeFee,
  };
}

export const aggregatorRoutes: Route[] = [
  {
    method: 'GET',
    path: `${BASE}/supported/chain`,
    module: 'aggregator',
    handle: (context) =>
      CHAINS.filter(isTradeChain)
        .filter((chain) => !context.query.get('chainIndex') || chain.chainIndex === context.query.get('chainIndex'))
        .map((chain) => ({
          chainIndex: chain.chainIndex,
          chainName: chain.name,
          dexTokenApproveAddress: chain.approveAddress,
        })),
  },
  {
    method: 'GET',
    path: `${BASE}/all-tokens`,
    module: 'aggregator',
    handle(context) {
      const chain = tradeChain(context);
      return context.world.tokensOn(chain.chainIndex).map((token) => ({
        decimals: String(token.decimals),
        tokenContractAddress: aggregatorAddress(chain.chainIndex, token.address),
        tokenLogoUrl: logoUrl(token.symbol),
        tokenName: token.name,
        tokenSymbol: token.symbol,
      }));
    },
  },
  {
    method: 'GET',
    path: `${BASE}/approve-transaction`,
    module: 'aggregator',
    handle(context) {
      const chain = tradeChain(context);
      if (chain.kind !== 'evm') throw new OkxApiError('82130', 'This chain does not require authorization', 200);
      const token = findTradeToken(context, chain, 'tokenContractAddress');
      if (token.address === '') throw badParam('aggregator', 'tokenContractAddress');
      const amountText = requireParam(context.query, 'approveAmount');
      if (!/^\d+$/.test(amountText)) throw badParam('aggregator', 'approveAmount');
      const amount = BigInt(amountText);
      const data = approveCalldata(chain.approveAddress, amount);
      context.ledger.issue({
        kind: 'approve',
        chainIndex: chain.chainIndex,
        to: token.address,
        data,
        value: 0n,
        token,
        spender: chain.approveAddress,
        amount,
      });
      return [
        {
          data,
          dexContractAddress: chain.approveAddress,
          gasLimit: '50000',
          gasPrice: chain.gasPriceWei,
        },
      ];
    },
  },
  {
    method: 'GET',
    path: `${BASE}/quote`,
    module: 'aggregator',
    handle: (context) => [routerResult(context, quoteFor(context))],
  },
  {
    method: 'GET',
    path: `${BASE}/swap`,
    module: 'aggregator',
    handle(context) {
      const quote = quoteFor(context);
      const wallet = requireParam(context.query, 'userWalletAddress');
      if (addressKind(wallet) !== quote.chain.kind) throw badParam('aggregator', 'userWalletAddress');
      const { tx, messageHex } = buildSwap(context, quote, wallet);
      context.ledger.issue({
        kind: 'swap',
        chainIndex: quote.chain.chainIndex,
        from: normalizeWallet(wallet),
        to: tx.to,
        data: tx.data,
        value: BigInt(tx.value),
        fromToken: quote.from,
        toToken: quote.to,
        amount: quote.amount,
        toTokenAmount: quote.math.toTokenAmount,
        minReceive: BigInt(tx.minReceiveAmount),
        messageHex,
      });
      return [{ routerResult: routerResult(context, quote), tx }];
    },
  },
];
