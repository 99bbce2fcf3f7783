import { base58 } from '@scure/base';
import { aggregatorAddress } from '../addresses';
import { isUnsignedDecimal } from '../decimal';
import { badParam, missingParam } from '../params';
import { minReceive } from '../quote-math';
import { hashBytes } from '../random';
import type { QuoteContext } from './aggregator-routes';
import type { RouteContext } from './types';

function readSlippage(context: RouteContext, isSolana: boolean): string {
  const text = context.query.get('slippagePercent');
  if (text === null || text === '') {
    if (context.query.get('autoSlippage') !== 'true') throw missingParam('slippagePercent');
    const cap = context.query.get('maxAutoSlippagePercent');
    return cap && isUnsignedDecimal(cap) && Number(cap) < 0.5 ? cap : '0.5';
  }
  if (!isUnsignedDecimal(text) || Number(text) > 100 || (isSolana && Number(text) >= 100))
    throw badParam('aggregator', 'slippagePercent');
  return text;
}

const word = (hex: string) => hex.padStart(64, '0');
const addressWord = (address: string) => word(address.slice(2).toLowerCase());

/** ERC-20 `approve(spender, amount)` calldata. */
export function approveCalldata(spender: string, amount: bigint): string {
  return `0x095ea7b3${addressWord(spender)}${word(amount.toString(16))}`;
}

/** §9.6 `tx`: sent to the router, `value` = amount only when selling the native coin, minReceiveAmount per §12.7. */
export function buildSwap(context: RouteContext, quote: QuoteContext, wallet: string) {
  const { chain, from, to, amount, math } = quote;
  const isSolana = chain.kind === 'solana';
  const slippagePercent = readSlippage(context, isSolana);
  const minReceiveAmount = minReceive(math.toTokenAmount, slippagePercent).toString();
  const gasOverride = context.query.get('gasLimit');
  if (gasOverride && !/^\d+$/.test(gasOverride)) throw badParam('aggregator', 'gasLimit');
  const level = context.query.get('gasLevel') || 'average';
  if (!['slow', 'average', 'fast'].includes(level)) throw badParam('aggregator', 'gasLevel');
  const gasPrice = (BigInt(chain.gasPriceWei) * (level === 'slow' ? 9n : level === 'fast' ? 12n : 10n)) / 10n;
  const fromAddress = aggregatorAddress(chain.chainIndex, from.address);
  const toAddress = aggregatorAddress(chain.chainIndex, to.address);
  const data = isSolana
    ? base58.encode(
        Buffer.concat([
          hashBytes('okx-sandbox-solana-tx', wallet, fromAddress, toAddress, amount.toString(), minReceiveAmount),
          Buffer.alloc(32, 7),
        ]),
      )
    : `0xf2c42696${addressWord(fromAddress)}${addressWord(toAddress)}${word(amount.toString(16))}${word(BigInt(minReceiveAmount).toString(16))}${addressWord(wallet)}`;
  return {
    data,
    from: wallet,
    gas: gasOverride || math.estimateGasFee,
    gasPrice: isSolana ? '' : gasPrice.toString(),
    maxPriorityFeePerGas: chain.supportsEip1559 ? (gasPrice / 20n).toString() : '',
    maxSpendAmount: '',
    minReceiveAmount,
    signatureData: [''],
    slippagePercent,
    to: chain.routerAddress,
    value: from.address === '' ? amount.toString() : '0',
  };
}
