import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { base58 } from '@scure/base';
import type { Page } from 'playwright-core';
import { keccak256, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';

/**
 * Wallets injected into a page before it loads, as a browser extension injects them, with their keys in the test
 * (Node): an EIP-1193 provider (`window.ethereum` and an EIP-6963 announcement) backed by a viem local account, and
 * a Solana Wallet Standard wallet backed by an ed25519 key. The page talks to them through one function exposed by
 * Playwright; every request is recorded.
 */
export interface TestWalletOptions {
  /** A viem private key (`generatePrivateKey()` when absent). */
  readonly evmKey?: Hex;
  /** Where the nonce of an address comes from: the sandbox's `GET /__sandbox/nonce` (0 when absent). */
  readonly nonceBase?: string;
  /** Refuse `eth_signTransaction` (as MetaMask does): the page then sends through `eth_sendTransaction`. */
  readonly refuseSignTransaction?: boolean;
  /** Refuse to sign at all (the person taps Reject): EIP-1193 code 4001. */
  readonly declineSigning?: boolean;
  /** Also a Solana wallet (Wallet Standard). */
  readonly solana?: boolean;
  /** No wallet at all (the Telegram in-app browser with nothing injected). */
  readonly none?: boolean;
}

export interface TestWallets {
  readonly evmAddress: Hex;
  readonly solanaAddress: string;
  /** Every request the page made, `method` only, in order. */
  readonly requests: string[];
  /** Raw signed EVM transactions handed out (0x…) and Solana wire transactions (base58). */
  readonly signed: string[];
  /** The chain the EVM wallet is on (after `wallet_switchEthereumChain`). */
  chainId(): number;
}

type Answer = { result: unknown } | { error: { code: number; message: string } };

export async function installTestWallets(page: Page, options: TestWalletOptions = {}): Promise<TestWallets> {
  const account = privateKeyToAccount(options.evmKey ?? generatePrivateKey());
  const { privateKey: solanaKey, publicKey: solanaPublic } = generateKeyPairSync('ed25519');
  const solanaPublicBytes = rawPublicKey(solanaPublic);
  const requests: string[] = [];
  const signed: string[] = [];
  let chainId = 1;
  let sentNonce = new Map<string, number>();

  const nonceOf = async (chain: number): Promise<number> => {
    if (!options.nonceBase) return sentNonce.get(String(chain)) ?? 0;
    const url = `${options.nonceBase}/__sandbox/nonce?chainIndex=${chain}&address=${account.address}`;
    const answer = (await (await fetch(url)).json()) as { nonce: number };
    return answer.nonce;
  };

  const signEvm = async (rpc: Record<string, string>): Promise<Hex> => {
    if (rpc.from && rpc.from.toLowerCase() !== account.address.toLowerCase())
      throw Object.assign(new Error(`unknown account ${rpc.from}`), { code: 4100 });
    if (rpc.chainId && Number(BigInt(rpc.chainId)) !== chainId)
      throw Object.assign(new Error('chain id does not match the wallet’s chain'), { code: -32602 });
    const nonce = await nonceOf(chainId);
    const common = {
      chainId,
      nonce,
      to: rpc.to as Hex,
      data: (rpc.data ?? '0x') as Hex,
      value: BigInt(rpc.value ?? '0x0'),
      gas: BigInt(rpc.gas ?? '0x493e0'),
    };
    const raw = rpc.maxFeePerGas
      ? await account.signTransaction({
          ...common,
          type: 'eip1559',
          maxFeePerGas: BigInt(rpc.maxFeePerGas),
          maxPriorityFeePerGas: BigInt(rpc.maxPriorityFeePerGas ?? '0x0'),
        })
      : await account.signTransaction({ ...common, type: 'legacy', gasPrice: BigInt(rpc.gasPrice ?? '0x3b9aca00') });
    sentNonce = new Map(sentNonce).set(String(chainId), nonce + 1);
    signed.push(raw);
    return raw;
  };

  const handle = async (method: string, params: unknown): Promise<unknown> => {
    const list = (params ?? []) as unknown[];
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return [account.address];
      case 'eth_chainId':
        return `0x${chainId.toString(16)}`;
      case 'wallet_switchEthereumChain':
        chainId = Number(BigInt((list[0] as { chainId: string }).chainId));
        return null;
      case 'eth_signTransaction':
        if (options.declineSigning) throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
        if (options.refuseSignTransaction)
          throw Object.assign(new Error('The method eth_signTransaction is not supported.'), { code: 4200 });
        return signEvm(list[0] as Record<string, string>);
      case 'eth_sendTransaction': {
        if (options.declineSigning) throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
        return keccak256(await signEvm(list[0] as Record<string, string>));
      }
      case 'solana:signTransaction': {
        if (options.declineSigning) throw Object.assign(new Error('User rejected the request.'), { code: 4001 });
        const wire = signSolanaWire(Uint8Array.from(list as number[]), solanaKey, solanaPublicBytes);
        signed.push(base58.encode(wire));
        return [...wire];
      }
      default:
        throw Object.assign(new Error(`${method} is not supported by the test wallet`), { code: 4200 });
    }
  };

  await page.exposeFunction('__estherTestWallet', async (method: string, params: unknown): Promise<Answer> => {
    requests.push(method);
    try {
      return { result: await handle(method, params) };
    } catch (error) {
      const failure = error as { code?: number; message: string };
      return { error: { code: failure.code ?? -32603, message: failure.message } };
    }
  });
  if (!options.none)
    await page.addInitScript(injectWallets, {
      evm: true,
      solana: options.solana === true,
      solanaAddress: base58.encode(solanaPublicBytes),
      solanaPublicKey: [...solanaPublicBytes],
    });
  return {
    evmAddress: account.address,
    solanaAddress: base58.encode(solanaPublicBytes),
    requests,
    signed,
    chainId: () => chainId,
  };
}

/** 32 raw bytes of an ed25519 public key (its JWK `x`). */
function rawPublicKey(key: KeyObject): Uint8Array {
  return Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');
}

/** Reads Solana's compact-u16 at `offset`: [value, bytes used]. */
function shortVec(bytes: Uint8Array, offset: number): [number, number] {
  let value = 0;
  for (let size = 0; size < 3; size++) {
    const byte = bytes[offset + size]!;
    value |= (byte & 0x7f) << (size * 7);
    if ((byte & 0x80) === 0) return [value, size + 1];
  }
  throw new Error('bad compact-u16');
}

/**
 * Signs a Solana wire transaction (signatures, then the message) as its fee payer: the message's first account key
 * must be this wallet; its signature goes in the first slot.
 */
export function signSolanaWire(wire: Uint8Array, key: KeyObject, publicKey: Uint8Array): Uint8Array {
  const [count, used] = shortVec(wire, 0);
  const messageStart = used + count * 64;
  const message = wire.subarray(messageStart);
  // A versioned message starts with 0x80 | version, then the 3-byte header; a legacy one with the header.
  const keysAt = (message[0]! & 0x80 ? 1 : 0) + 3;
  const [, keyCountBytes] = shortVec(message, keysAt);
  const feePayer = message.subarray(keysAt + keyCountBytes, keysAt + keyCountBytes + 32);
  if (Buffer.compare(Buffer.from(feePayer), Buffer.from(publicKey)) !== 0)
    throw Object.assign(new Error('this wallet is not the fee payer of the transaction'), { code: 4100 });
  const signature = sign(null, message, key);
  const out = Uint8Array.from(wire);
  out.set(signature, used);
  return out;
}

/** Runs in the page before its scripts (Playwright init script): no imports, no closures over Node values. */
function injectWallets(config: {
  evm: boolean;
  solana: boolean;
  solanaAddress: string;
  solanaPublicKey: number[];
}): void {
  type Bridge = (method: string, params: unknown) => Promise<Answer>;
  // The page's window (this project compiles without the DOM library: only what is used here).
  const w = globalThis as unknown as Record<string, unknown> & {
    addEventListener(type: string, listener: (event: Event) => void): void;
    dispatchEvent(event: Event): boolean;
  };
  const window = w;
  const call = async (method: string, params: unknown) => {
    const answer = await (w.__estherTestWallet as Bridge)(method, params ?? null);
    if ('error' in answer) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
    return answer.result;
  };
  const icon =
    'data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiPjxyZWN0IHdpZHRoPSIxIiBoZWlnaHQ9IjEiLz48L3N2Zz4=';
  if (config.evm) {
    const provider = {
      isEstherTestWallet: true,
      request: ({ method, params }: { method: string; params?: unknown }) => call(method, params),
      on: () => provider,
      removeListener: () => provider,
    };
    w.ethereum = provider;
    const announce = () =>
      window.dispatchEvent(
        new CustomEvent('eip6963:announceProvider', {
          detail: Object.freeze({
            info: {
              uuid: '7b0d1c7e-4f0e-4a51-9a0e-esther-test',
              name: 'Esther Test Wallet',
              icon,
              rdns: 'test.esther',
            },
            provider,
          }),
        }),
      );
    window.addEventListener('eip6963:requestProvider', announce);
    announce();
  }
  if (config.solana) {
    const account = {
      address: config.solanaAddress,
      publicKey: Uint8Array.from(config.solanaPublicKey),
      chains: ['solana:mainnet'],
      features: ['solana:signTransaction'],
    };
    const wallet = {
      version: '1.0.0',
      name: 'Esther Test Solana',
      icon,
      chains: ['solana:mainnet'],
      accounts: [] as (typeof account)[],
      features: {
        'standard:connect': {
          version: '1.0.0',
          connect: async () => {
            wallet.accounts = [account];
            return { accounts: wallet.accounts };
          },
        },
        'standard:events': { version: '1.0.0', on: () => () => undefined },
        'solana:signTransaction': {
          version: '1.0.0',
          supportedTransactionVersions: ['legacy', 0],
          signTransaction: async (...inputs: { transaction: Uint8Array }[]) =>
            Promise.all(
              inputs.map(async (input) => ({
                signedTransaction: Uint8Array.from(
                  (await call('solana:signTransaction', [...input.transaction])) as number[],
                ),
              })),
            ),
        },
      },
    };
    const register = (api: { register: (wallet: unknown) => void }) => api.register(wallet);
    try {
      window.dispatchEvent(new CustomEvent('wallet-standard:register-wallet', { detail: register }));
    } catch {
      /* no app yet: it asks with app-ready */
    }
    window.addEventListener('wallet-standard:app-ready', (event) =>
      register((event as CustomEvent<{ register: (wallet: unknown) => void }>).detail),
    );
  }
}
