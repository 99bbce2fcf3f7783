import type { ChainIndex, IsoTime, Wallet } from '../kernel/types';

export interface WalletSummary extends Wallet {
  readonly valueUsd: string;
  readonly staleSince?: IsoTime;
}

/** What the wallet commands need (implemented by the portfolio service, which also drops a removed wallet's holdings). */
export interface WalletsPort {
  addWallet(userId: string, address: string, chains?: readonly ChainIndex[], label?: string): Promise<Wallet>;
  removeWallet(userId: string, walletId: string): Promise<void>;
  listWallets(userId: string): Promise<readonly WalletSummary[]>;
}
