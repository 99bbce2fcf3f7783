import type { EvmTransaction } from '../signing/signing-types';
import { toRpcTransaction } from './evm-rpc';
import {
  WalletError,
  type ConnectedWallet,
  type SignOutcome,
  type WalletOption,
  type WalletSource,
} from './wallet-types';

/** EIP-1193: a provider's one method. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>;
}

interface Eip6963Detail {
  readonly info: { readonly uuid: string; readonly name: string; readonly icon: string; readonly rdns: string };
  readonly provider: Eip1193Provider;
}

/** Codes (EIP-1193, JSON-RPC) of a wallet that does not do `eth_signTransaction`: then it sends the tx itself. */
const UNSUPPORTED = new Set([4200, -32601, -32004, 4100]);

const codeOf = (error: unknown): number | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};
const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String((error as { message?: unknown } | null)?.message ?? error);

/**
 * Injected EVM wallets: every EIP-6963 announcement (MetaMask, OKX Wallet, Rabby… side by side) and, when none
 * announces the same provider, `window.ethereum`. Waits briefly for announcements (they answer synchronously in
 * practice).
 */
export async function discoverEvmWallets(waitMs = 150): Promise<WalletOption[]> {
  const announced = new Map<string, Eip6963Detail>();
  const onAnnounce = (event: Event) => {
    const detail = (event as CustomEvent<Eip6963Detail>).detail;
    if (detail?.info?.uuid && detail.provider) announced.set(detail.info.uuid, detail);
  };
  window.addEventListener('eip6963:announceProvider', onAnnounce);
  window.dispatchEvent(new Event('eip6963:requestProvider'));
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  window.removeEventListener('eip6963:announceProvider', onAnnounce);
  const options: WalletOption[] = [...announced.values()].map((detail) =>
    evmOption(`eip6963:${detail.info.rdns || detail.info.uuid}`, detail.info.name, detail.provider, 'injected', {
      icon: detail.info.icon.startsWith('data:image/') ? detail.info.icon : undefined,
    }),
  );
  const injected = (window as unknown as { ethereum?: Eip1193Provider }).ethereum;
  if (injected && ![...announced.values()].some((detail) => detail.provider === injected))
    options.push(evmOption('window.ethereum', 'Browser wallet', injected, 'injected'));
  return options;
}

/** A wallet option over an EIP-1193 provider (an injected one, or OKX Connect's). */
export function evmOption(
  id: string,
  name: string,
  provider: Eip1193Provider,
  source: WalletSource,
  extra: { icon?: string; disconnect?: () => Promise<void> } = {},
): WalletOption {
  return {
    id,
    name,
    icon: extra.icon,
    source,
    family: 'evm',
    async connect() {
      const accounts = (await call(provider, 'eth_requestAccounts')) as string[] | undefined;
      const address = accounts?.[0];
      if (!address) throw new WalletError(`${name} gave no account.`);
      return connectedEvm(name, source, provider, address, extra.disconnect);
    },
  };
}

export function connectedEvm(
  name: string,
  source: WalletSource,
  provider: Eip1193Provider,
  address: string,
  disconnect: () => Promise<void> = async () => undefined,
): ConnectedWallet {
  return {
    source,
    name,
    family: 'evm',
    address,
    disconnect,
    async signEvm(transaction) {
      await switchChain(provider, transaction.chainId);
      return signOrSend(provider, transaction);
    },
  };
}

async function call(provider: Eip1193Provider, method: string, params?: unknown): Promise<unknown> {
  try {
    return await provider.request(params === undefined ? { method } : { method, params });
  } catch (error) {
    if (codeOf(error) === 4001) throw new WalletError('You declined in the wallet; nothing was sent.', true);
    throw error;
  }
}

async function switchChain(provider: Eip1193Provider, chainId: number): Promise<void> {
  const hex = `0x${chainId.toString(16)}`;
  const current = await call(provider, 'eth_chainId').catch(() => undefined);
  if ((typeof current === 'string' || typeof current === 'number') && BigInt(current) === BigInt(chainId)) return;
  try {
    await call(provider, 'wallet_switchEthereumChain', [{ chainId: hex }]);
  } catch (error) {
    if (error instanceof WalletError) throw error;
    throw new WalletError(
      codeOf(error) === 4902
        ? `The wallet does not know chain ${chainId}: add that network in the wallet, then try again.`
        : `The wallet could not switch to chain ${chainId}: ${messageOf(error)}`,
    );
  }
}

/** `eth_signTransaction` (our broadcast, through OKX); a wallet that refuses the method (MetaMask) sends it itself. */
async function signOrSend(provider: Eip1193Provider, transaction: EvmTransaction): Promise<SignOutcome> {
  const rpc = toRpcTransaction(transaction);
  try {
    const signed = await call(provider, 'eth_signTransaction', [rpc]);
    if (typeof signed === 'string' && signed.startsWith('0x')) return { signedTx: signed };
    throw new WalletError('The wallet answered something other than a signed transaction.');
  } catch (error) {
    if (error instanceof WalletError) throw error;
    if (!UNSUPPORTED.has(codeOf(error) ?? 0) && !/not (supported|implemented)|unsupported/i.test(messageOf(error)))
      throw new WalletError(`The wallet could not sign: ${messageOf(error)}`);
  }
  try {
    const txHash = await call(provider, 'eth_sendTransaction', [rpc]);
    if (typeof txHash === 'string' && /^0x[0-9a-fA-F]{64}$/.test(txHash)) return { txHash };
    throw new WalletError('The wallet answered something other than a transaction hash.');
  } catch (error) {
    if (error instanceof WalletError) throw error;
    throw new WalletError(`The wallet could not send: ${messageOf(error)}`);
  }
}
