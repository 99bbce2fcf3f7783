/**
 * Named domain errors. Each carries a `reason` written for the user (the bot shows it as is, escaped)
 * and the structured fields a caller may need. They are thrown by the domain and the services and
 * handled in exactly one place per entry point (bot.catch / the feature that expects them).
 */
export abstract class DomainError extends Error {
  abstract readonly kind: string;
  constructor(
    message: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export class InvalidAddressError extends DomainError {
  readonly kind = 'invalid-address';
  constructor(
    readonly input: string,
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid wallet address: ${reason}`, reason, options);
  }
}

export class DuplicateWalletError extends DomainError {
  readonly kind = 'duplicate-wallet';
  constructor(
    readonly address: string,
    options?: { cause?: unknown },
  ) {
    super(`wallet already tracked: ${address}`, 'this wallet is already in your list', options);
  }
}

export class WalletLimitError extends DomainError {
  readonly kind = 'wallet-limit';
  constructor(
    readonly maxWallets: number,
    options?: { cause?: unknown },
  ) {
    super(
      `wallet limit reached: ${maxWallets}`,
      `you can track at most ${maxWallets} wallets; remove one first`,
      options,
    );
  }
}

export class WalletListBusyError extends DomainError {
  readonly kind = 'wallet-list-busy';
  constructor(options?: { cause?: unknown }) {
    super(
      'wallet list write kept conflicting',
      'your wallet list is being changed by another request right now; nothing was saved, please send the command again',
      options,
    );
  }
}

export class WalletNotFoundError extends DomainError {
  readonly kind = 'wallet-not-found';
  constructor(
    readonly walletId: string,
    options?: { cause?: unknown },
  ) {
    super(`wallet not found: ${walletId}`, 'that wallet is not in your list (maybe it was already removed)', options);
  }
}

export class UnsupportedChainError extends DomainError {
  readonly kind = 'unsupported-chain';
  constructor(
    readonly chains: readonly string[],
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`unsupported chain(s): ${chains.join(', ')}`, reason, options);
  }
}

export class InvalidTargetError extends DomainError {
  readonly kind = 'invalid-target';
  constructor(
    reason: string,
    readonly sumPercent?: string,
    options?: { cause?: unknown },
  ) {
    super(`invalid target allocation: ${reason}`, reason, options);
  }
}

export class UnknownAssetError extends DomainError {
  readonly kind = 'unknown-asset';
  constructor(
    readonly assets: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`unknown asset(s): ${assets.join(', ')}`, `not in your portfolio: ${assets.join(', ')}`, options);
  }
}

export class NoHoldingsError extends DomainError {
  readonly kind = 'no-holdings';
  constructor(
    readonly userId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `no holdings for user ${userId}`,
      'there is nothing in your portfolio yet: add a wallet with /addwallet and wait for the first sync',
      options,
    );
  }
}

export class NoTargetError extends DomainError {
  readonly kind = 'no-target';
  constructor(
    readonly userId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `no target allocation for user ${userId}`,
      'set a target allocation first, e.g. /target ETH 50 BTC 30 USDC 20',
      options,
    );
  }
}
