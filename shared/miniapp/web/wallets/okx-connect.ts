import { OKXUniversalProvider } from '@okxconnect/universal-provider';
import { connectedEvm, type Eip1193Provider } from './evm-wallets';
import { WalletError, type ConnectedWallet } from './wallet-types';

/**
 * OKX Connect (`@okxconnect/universal-provider`): OKX Wallet's app, its Telegram Mini Wallet or its extension, over
 * OKX's relay. Loaded only when the person picks it (a dynamic import: its ≈ 200 KB stay out of the first load).
 * In Telegram the wallet returns to the chat through `tg://resolve` after each request.
 */
let provider: Promise<OKXUniversalProvider> | undefined;

const init = () =>
  (provider ??= OKXUniversalProvider.init({
    dappMetaData: { name: 'Esther Portfolio', icon: new URL('./icon.png', location.href).href },
  }));

/**
 * `reuse`: OKX Connect keeps its own session on the device; it is reused only when this Telegram user's stored
 * wallet session says they made it (wallet-session.ts), otherwise ended and a new one asked for.
 */
export async function connectOkx(chainId: number, reuse: boolean): Promise<ConnectedWallet> {
  const okx = await init();
  if (!reuse && okx.connected()) await okx.disconnect().catch(() => undefined);
  let chain = `eip155:${chainId}`;
  let session;
  try {
    session = okx.connected()
      ? okx.session
      : await okx.connect({
          namespaces: { eip155: { chains: [chain], defaultChain: String(chainId) } },
          sessionConfig: { redirect: 'tg://resolve' },
        });
  } catch (error) {
    throw new WalletError(`OKX Wallet did not connect: ${(error as Error).message ?? error}`, true);
  }
  const account = session?.namespaces.eip155?.accounts[0];
  if (!account) throw new WalletError('OKX Wallet gave no EVM account.');
  const address = account.split(':').at(-1)!;
  const eip1193: Eip1193Provider = {
    async request({ method, params }) {
      const answer = await okx.request(
        { method, ...(params === undefined ? {} : { params: params as unknown[] }), redirect: 'tg://resolve' },
        chain,
      );
      // Later requests go to the chain the wallet switched to (OKX Connect names the chain on each request).
      if (method === 'wallet_switchEthereumChain')
        chain = `eip155:${Number(BigInt((params as { chainId: string }[])[0]!.chainId))}`;
      return answer;
    },
  };
  return connectedEvm('OKX Wallet (OKX Connect)', 'okx-connect', eip1193, address, () => okx.disconnect());
}

/** Ends OKX Connect's own stored session (another Telegram account's session must not be reused). */
export async function disconnectOkx(): Promise<void> {
  const okx = await init();
  if (okx.connected()) await okx.disconnect();
}
