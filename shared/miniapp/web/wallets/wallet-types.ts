import type { EvmTransaction } from '../signing/signing-types';

/** What a wallet gives back for one transaction: the signed bytes for our broadcast, or the hash it sent itself. */
export type SignOutcome = { readonly signedTx: string } | { readonly txHash: string };

/** A wallet the person connected on this page, for one family of chains. */
export interface ConnectedWallet {
  readonly source: WalletSource;
  readonly name: string;
  readonly family: 'evm' | 'solana';
  readonly address: string;
  /** EVM: switches to the transaction's chain, then `eth_signTransaction`, or `eth_sendTransaction` when refused. */
  signEvm?(transaction: EvmTransaction): Promise<SignOutcome>;
  /** Solana: signs the serialized transaction (base58) and answers the signed wire bytes (base58). */
  signSolana?(transaction: string): Promise<SignOutcome>;
  disconnect(): Promise<void>;
}

export type WalletSource = 'injected' | 'okx-connect' | 'wallet-standard';

/** A wallet the page can offer: found in the browser, or OKX Connect (OKX Wallet, inside Telegram too). */
export interface WalletOption {
  readonly id: string;
  readonly name: string;
  readonly icon?: string;
  readonly source: WalletSource;
  readonly family: 'evm' | 'solana';
  connect(chainId?: number): Promise<ConnectedWallet>;
}

/** A wallet said no or failed; `declined` when the person refused in the wallet (EIP-1193 code 4001). */
export class WalletError extends Error {
  constructor(
    message: string,
    readonly declined = false,
  ) {
    super(message);
    this.name = 'WalletError';
  }
}
