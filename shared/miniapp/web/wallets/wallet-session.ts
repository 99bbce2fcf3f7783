import type { WalletSource } from './wallet-types';

/**
 * The wallet last connected on this device, remembered with the Telegram user who connected it: a session carried
 * into another Telegram account (same device, another login) is dropped, never reused.
 */
export interface StoredWalletSession {
  readonly ownerUserId: string;
  readonly source: WalletSource;
  readonly walletId: string;
  readonly name: string;
  readonly family: 'evm' | 'solana';
  readonly address: string;
}

const KEY = 'esther.wallet-session.v1';

export type SessionCheck =
  | { readonly kind: 'none' }
  | { readonly kind: 'own'; readonly session: StoredWalletSession }
  /** Another Telegram account's session was found and dropped (and its OKX Connect session must be ended). */
  | { readonly kind: 'dropped'; readonly session: StoredWalletSession };

/** Reads the stored session for `userId`; another user's session is removed and reported as dropped. */
export function checkWalletSession(userId: string, storage: Storage = localStorage): SessionCheck {
  let session: StoredWalletSession | undefined;
  try {
    session = JSON.parse(storage.getItem(KEY) ?? 'null') as StoredWalletSession | undefined;
  } catch {
    session = undefined;
  }
  if (!session || typeof session.ownerUserId !== 'string') {
    storage.removeItem(KEY);
    return { kind: 'none' };
  }
  if (session.ownerUserId !== userId) {
    storage.removeItem(KEY);
    return { kind: 'dropped', session };
  }
  return { kind: 'own', session };
}

export function saveWalletSession(session: StoredWalletSession, storage: Storage = localStorage): void {
  storage.setItem(KEY, JSON.stringify(session));
}

export function clearWalletSession(storage: Storage = localStorage): void {
  storage.removeItem(KEY);
}

/** The Telegram user id in Telegram's raw initData (`user` is JSON); undefined when absent. */
export function telegramUserId(initData: string): string | undefined {
  try {
    const user = JSON.parse(new URLSearchParams(initData).get('user') ?? 'null') as { id?: number } | null;
    return user?.id === undefined ? undefined : String(user.id);
  } catch {
    return undefined;
  }
}
