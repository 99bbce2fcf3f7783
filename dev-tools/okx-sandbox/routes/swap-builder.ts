import { base58 } from '@scure/base';
import { aggregatorAddress } from '../addresses';
import { hexOf } from '../signed-tx';
import { encodeSolanaMessage, encodeUnsignedSolanaTransaction, type SolanaMessage } from '../solana-wire';
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

const u64 = (value: bigint) => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
};

/**
 * A legacy Solana message: the wallet pays the fee and signs, the two mints and the DEX program are read-only;
 * one instruction to the program carries amount and minimum out (u64 LE). The blockhash changes every 400 ms slot.
 */
function solanaSwapMessage(
  context: RouteContext,
  quote: QuoteContext,
  wallet: string,
  minReceive: bigint,
): SolanaMessage {
  const { chain, from, to, amount } = quote;
  const slot = Math.floor(context.nowMs / 400);
  return {
    version: 'legacy',
    header: [1, 0, 3],
    accountKeys: [
      wallet,
      aggregatorAddress(chain.chainIndex, from.address),
      aggregatorAddress(chain.chainIndex, to.address),
      chain.routerAddress,
    ],
    recentBlockhash: base58.encode(hashBytes('okx-sandbox-blockhash', context.world.seed, slot)),
    instructions: [
      {
        programIndex: 3,
        accountIndexes: [0, 1, 2],
        data: Uint8Array.from([...hashBytes('okx-sandbox-swap').subarray(0, 8), ...u64(amount), ...u64(minReceive)]),
      },
    ],
  };
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
  const message = isSolana ? solanaSwapMessage(context, quote, wallet, BigInt(minReceiveAmount)) : undefined;
  const data = message
    ? base58.encode(encodeUnsignedSolanaTransaction(message))
    : `0xf2c42696${addressWord(fromAddress)}${addressWord(toAddress)}${word(amount.toString(16))}${word(BigInt(minReceiveAmount).toString(16))}${addressWord(wallet)}`;
  const tx = {
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
  return { tx, messageHex: message ? hexOf(encodeSolanaMessage(message)) : undefined };
}
