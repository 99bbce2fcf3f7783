import { ed25519 } from '@noble/curves/ed25519.js';
import { base58 } from '@scure/base';
import { keccak256, parseTransaction, recoverTransactionAddress, type Hex, type TransactionSerialized } from 'viem';
import type { SandboxChain } from './chains';
import { OkxApiError } from './envelope';
import type { IssuedTx, Ledger } from './ledger';
import { badParam } from './params';
import { decodeSolanaTransaction } from './solana-wire';

/** A broadcast the sandbox accepts: which issued transaction it carries, its signer and its on-chain hash. */
export interface VerifiedTx {
  readonly tx: IssuedTx;
  readonly signer: string;
  readonly txHash: string;
}

/** okx-api §4.3: the node refused the transaction (HTTP 200, like every gateway error). */
export const nodeFailed = (detail: string) => new OkxApiError('81451', `Node return failed: ${detail}`, 200);

const notIssued = (what: string) =>
  nodeFailed(`execution reverted: the sandbox did not issue this transaction (${what} differ)`);

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

async function recoverSigner(signedTx: Hex): Promise<string> {
  try {
    return (
      await recoverTransactionAddress({ serializedTransaction: signedTx as TransactionSerialized })
    ).toLowerCase();
  } catch {
    throw badParam('gateway', 'signedTx');
  }
}

/** EVM: a signed RLP transaction whose signer, chain id, to/data/value and nonce match what the sandbox issued. */
export async function verifyEvmTx(
  ledger: Ledger,
  chain: SandboxChain,
  signedTx: string,
  address: string,
): Promise<VerifiedTx> {
  let parsed: ReturnType<typeof parseTransaction>;
  try {
    parsed = parseTransaction(signedTx as Hex);
  } catch {
    throw badParam('gateway', 'signedTx');
  }
  if (parsed.r === undefined || parsed.s === undefined) throw badParam('gateway', 'signedTx');
  const signer = await recoverSigner(signedTx as Hex);
  if (signer !== address.toLowerCase())
    throw new OkxApiError('81001', `Incorrect parameter address: signedTx is signed by ${signer}`, 200);
  if (parsed.chainId !== Number(chain.chainIndex))
    throw nodeFailed(`invalid chain id for signer: have ${parsed.chainId ?? 'none'} want ${chain.chainIndex}`);
  const to = parsed.to?.toLowerCase() ?? '';
  const data = (parsed.data ?? '0x').toLowerCase();
  const value = parsed.value ?? 0n;
  const tx = ledger.findIssued(
    chain.chainIndex,
    (issued) =>
      issued.to.toLowerCase() === to &&
      issued.data.toLowerCase() === data &&
      issued.value === value &&
      (issued.kind === 'approve' || issued.from === signer),
  );
  if (!tx) throw notIssued('to, data or value');
  const expected = ledger.nextNonce(chain.chainIndex, signer);
  const nonce = parsed.nonce ?? 0;
  if (nonce !== expected)
    throw nodeFailed(`nonce too ${nonce < expected ? 'low' : 'high'}: next nonce ${expected}, tx nonce ${nonce}`);
  return { tx, signer, txHash: keccak256(signedTx as Hex) };
}

function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  try {
    return ed25519.verify(signature, message, publicKey);
  } catch {
    return false;
  }
}

/** Solana: a base58 wire transaction whose fee payer is `address`, signed by it, carrying an issued message. */
export function verifySolanaTx(ledger: Ledger, chain: SandboxChain, signedTx: string, address: string): VerifiedTx {
  let decoded: ReturnType<typeof decodeSolanaTransaction>;
  try {
    decoded = decodeSolanaTransaction(base58.decode(signedTx));
  } catch {
    throw badParam('gateway', 'signedTx');
  }
  const feePayer = decoded.message.accountKeys[0]!;
  if (feePayer !== address)
    throw new OkxApiError('81001', `Incorrect parameter address: the fee payer is ${feePayer}`, 200);
  const signature = decoded.signatures[0]!;
  if (!verifyEd25519(signature, decoded.messageBytes, base58.decode(feePayer)))
    throw nodeFailed('Transaction signature verification failure');
  const messageHex = hexOf(decoded.messageBytes);
  const tx = ledger.findIssued(
    chain.chainIndex,
    (issued) => issued.kind === 'swap' && issued.messageHex === messageHex,
  );
  if (!tx) throw notIssued('message bytes');
  if (ledger.ordersOf(chain.chainIndex, feePayer).some((order) => order.tx === tx))
    throw nodeFailed('This transaction has already been processed');
  return { tx, signer: feePayer, txHash: base58.encode(signature) };
}
