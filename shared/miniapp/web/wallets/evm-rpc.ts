import type { EvmTransaction } from '../signing/signing-types';

const hex = (decimal: string) => `0x${BigInt(decimal).toString(16)}`;

/** The prepared transaction as EIP-1193 wants it: quantities in hex; EIP-1559 fees when OKX gave a priority fee. */
export function toRpcTransaction(transaction: EvmTransaction): Record<string, string> {
  const rpc: Record<string, string> = {
    from: transaction.from,
    to: transaction.to,
    data: transaction.data,
    value: hex(transaction.value),
    chainId: hex(String(transaction.chainId)),
  };
  if (transaction.gas) rpc.gas = hex(transaction.gas);
  if (transaction.maxPriorityFeePerGas && transaction.gasPrice) {
    rpc.maxFeePerGas = hex(transaction.gasPrice);
    rpc.maxPriorityFeePerGas = hex(transaction.maxPriorityFeePerGas);
  } else if (transaction.gasPrice) rpc.gasPrice = hex(transaction.gasPrice);
  return rpc;
}
