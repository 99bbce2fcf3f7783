import { getWallets } from '@wallet-standard/app';
import type { Wallet, WalletAccount } from '@wallet-standard/base';
import { base58 } from '@scure/base';
import { WalletError, type ConnectedWallet, type WalletOption } from './wallet-types';

const MAINNET = 'solana:mainnet';

interface StandardConnect {
  connect(input?: { silent?: boolean }): Promise<{ accounts: readonly WalletAccount[] }>;
}
interface StandardDisconnect {
  disconnect(): Promise<void>;
}
interface SolanaSignTransaction {
  signTransaction(
    ...inputs: { account: WalletAccount; transaction: Uint8Array; chain?: string }[]
  ): Promise<readonly { signedTransaction: Uint8Array }[]>;
}

const feature = <T>(wallet: Wallet, name: string): T | undefined => wallet.features[name as `${string}:${string}`] as T;

/** Solana wallets of the Wallet Standard (Phantom, OKX Wallet, Solflare, Backpack…) that sign a transaction. */
export function discoverSolanaWallets(): WalletOption[] {
  return getWallets()
    .get()
    .filter(
      (wallet) =>
        wallet.chains.some((chain) => chain.startsWith('solana:')) &&
        feature(wallet, 'standard:connect') !== undefined &&
        feature(wallet, 'solana:signTransaction') !== undefined,
    )
    .map((wallet) => solanaOption(wallet));
}

function solanaOption(wallet: Wallet): WalletOption {
  return {
    id: `wallet-standard:${wallet.name}`,
    name: wallet.name,
    icon: wallet.icon,
    source: 'wallet-standard',
    family: 'solana',
    async connect() {
      let accounts: readonly WalletAccount[];
      try {
        ({ accounts } = await feature<StandardConnect>(wallet, 'standard:connect')!.connect());
      } catch (error) {
        throw new WalletError(`${wallet.name} did not connect: ${(error as Error).message ?? error}`, true);
      }
      const account = accounts[0];
      if (!account) throw new WalletError(`${wallet.name} gave no account.`);
      return connectedSolana(wallet, account);
    },
  };
}

function connectedSolana(wallet: Wallet, account: WalletAccount): ConnectedWallet {
  return {
    source: 'wallet-standard',
    name: wallet.name,
    family: 'solana',
    address: account.address,
    async disconnect() {
      await feature<StandardDisconnect>(wallet, 'standard:disconnect')
        ?.disconnect()
        .catch(() => undefined);
    },
    async signSolana(transaction) {
      const chain = account.chains.includes(MAINNET) ? MAINNET : account.chains.find((id) => id.startsWith('solana:'));
      let outputs: readonly { signedTransaction: Uint8Array }[];
      try {
        outputs = await feature<SolanaSignTransaction>(wallet, 'solana:signTransaction')!.signTransaction({
          account,
          transaction: base58.decode(transaction),
          ...(chain ? { chain } : {}),
        });
      } catch (error) {
        throw new WalletError(`${wallet.name} did not sign: ${(error as Error).message ?? error}`, true);
      }
      const signed = outputs[0]?.signedTransaction;
      if (!signed) throw new WalletError(`${wallet.name} gave no signed transaction.`);
      return { signedTx: base58.encode(signed) };
    },
  };
}
