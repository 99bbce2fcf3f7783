import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../shared/miniapp/web/api';
import { fallbackPageUrl, planToSign } from '../../../shared/miniapp/web/signing/sign-launch';
import { refusalOf, stepLines, timeLeft } from '../../../shared/miniapp/web/signing/signing-words';
import type { PreparedStep } from '../../../shared/miniapp/web/signing/signing-types';
import {
  checkWalletSession,
  saveWalletSession,
  telegramUserId,
} from '../../../shared/miniapp/web/wallets/wallet-session';
import { toRpcTransaction } from '../../../shared/miniapp/web/wallets/evm-rpc';

const PAGE = 'https://d1.cloudfront.net/miniapp/index.html';

describe('the plan a page was opened to sign', () => {
  it('reads #sign= beside Telegram’s launch parameters, whichever separator the client used', () => {
    expect(planToSign(`${PAGE}#sign=Ab3_-x9Q`)).toBe('Ab3_-x9Q');
    expect(planToSign(`${PAGE}#sign=Ab3_-x9Q&tgWebAppData=user%3D1&tgWebAppVersion=8.0`)).toBe('Ab3_-x9Q');
    expect(planToSign(`${PAGE}#sign=Ab3_-x9Q?tgWebAppData=user%3D1`)).toBe('Ab3_-x9Q');
    expect(planToSign(`${PAGE}?sign=Ab3_-x9Q#tgWebAppData=user%3D1`)).toBe('Ab3_-x9Q');
    expect(planToSign(`${PAGE}#tgWebAppData=user%3D1`)).toBeUndefined();
  });

  it('reads Telegram’s start_param sign-<id> / sign_<id>, and ignores anything that is not a plan id', () => {
    expect(planToSign(PAGE, 'sign-Ab3_x9Q')).toBe('Ab3_x9Q');
    expect(planToSign(PAGE, 'sign_Ab3-x9Q')).toBe('Ab3-x9Q');
    expect(planToSign(PAGE, 'portfolio')).toBeUndefined();
    expect(planToSign(`${PAGE}#sign=%3Cscript%3E`)).toBeUndefined();
    expect(planToSign(`${PAGE}#sign=${'a'.repeat(65)}`)).toBeUndefined();
  });
});

describe('the page for “Open in browser” and the QR code', () => {
  it('keeps the plan and the signed launch data, drops the theme and anything else', () => {
    const href = `${PAGE}?v=2#sign=Ab3&tgWebAppData=auth_date%3D1%26hash%3Dx&tgWebAppVersion=8.0&tgWebAppPlatform=ios&tgWebAppThemeParams=%7B%22bg_color%22%3A%22%23ffffff%22%7D&tgWebAppBotInline=1`;
    expect(fallbackPageUrl(href, 'Ab3')).toBe(
      `${PAGE}#sign=Ab3&tgWebAppData=auth_date%3D1%26hash%3Dx&tgWebAppVersion=8.0&tgWebAppPlatform=ios&tgWebAppThemeParams=%7B%7D`,
    );
    expect(planToSign(fallbackPageUrl(href, 'Ab3'))).toBe('Ab3');
  });
});

describe('a wallet session tied to the Telegram user', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: (key: string, value: string) => void items.set(key, value),
      removeItem: (key: string) => void items.delete(key),
      items,
    } as unknown as Storage & { items: Map<string, string> };
  };
  const session = {
    ownerUserId: '42',
    source: 'injected' as const,
    walletId: 'eip6963:io.metamask',
    name: 'MetaMask',
    family: 'evm' as const,
    address: '0xabc',
  };

  it('keeps the owner’s session and drops another account’s (removed from the device)', () => {
    const store = storage();
    saveWalletSession(session, store);
    expect(checkWalletSession('42', store)).toEqual({ kind: 'own', session });
    expect(checkWalletSession('43', store)).toEqual({ kind: 'dropped', session });
    expect(store.items.size).toBe(0);
    expect(checkWalletSession('42', store)).toEqual({ kind: 'none' });
  });

  it('treats unreadable storage as no session', () => {
    const store = storage();
    store.setItem('esther.wallet-session.v1', '{not json');
    expect(checkWalletSession('42', store)).toEqual({ kind: 'none' });
  });

  it('reads the user id from raw initData', () => {
    expect(telegramUserId('auth_date=1&user=%7B%22id%22%3A4242%2C%22first_name%22%3A%22E%22%7D&hash=x')).toBe('4242');
    expect(telegramUserId('auth_date=1&hash=x')).toBeUndefined();
    expect(telegramUserId('user=%7Bbroken')).toBeUndefined();
  });
});

describe('the signing page’s words', () => {
  it('names the wallet to connect, and lists only the failed intent checks', () => {
    const wrong = refusalOf(new ApiError(403, 'wrong-wallet', 'Wrong wallet.', { expected: '0xAbC' }));
    expect(wrong.title).toBe('Connect the wallet 0xAbC');
    const mismatch = refusalOf(
      new ApiError(409, 'intent-mismatch', 'Does not match.', {
        checks: [
          { name: 'Chain', ok: true, detail: 'chain 1' },
          { name: 'Value', ok: false, detail: 'sends 1 ETH' },
        ],
      }),
    );
    expect(mismatch.failedChecks).toEqual([{ name: 'Value', ok: false, detail: 'sends 1 ETH' }]);
    expect(refusalOf(new ApiError(502, 'broadcast-rejected', 'Nonce too low.')).detail).toBe(
      'Nonce too low. It was not sent, and it will not be sent again automatically.',
    );
  });

  it('shows time left in whole minutes, then seconds, then expired', () => {
    const now = Date.parse('2026-12-03T15:00:00Z');
    expect(timeLeft('2026-12-03T15:12:59Z', now)).toBe('12 min left');
    expect(timeLeft('2026-12-03T15:00:30Z', now)).toBe('30 s left');
    expect(timeLeft('2026-12-03T15:00:00Z', now)).toBe('expired');
    expect(timeLeft('not a date', now)).toBe('expired');
  });

  it('lists an approval’s amount and spender, and the fee in USD', () => {
    const step = {
      stepId: 's',
      kind: 'approve',
      legIndex: 0,
      family: 'evm',
      chainIndex: '1',
      evm: { chainId: 1, from: '0xme', to: '0xtoken', data: '0x', value: '0' },
      summary: {
        approval: { symbol: 'USDT', amount: '1000', spender: '0xspender' },
        networkFee: { amount: '0.0004', symbol: 'ETH', usd: '1.20' },
      },
      checks: [],
      expiresAt: '2026-12-03T15:15:00Z',
    } satisfies PreparedStep;
    expect(stepLines(step).map((line) => `${line.label}: ${line.value}`)).toEqual([
      'Approval: 1000 USDT',
      'Spender (OKX router): 0xspender',
      'Contract called: 0xtoken',
      'Network fee (estimate): 0.0004 ETH (≈ $1.20)',
    ]);
  });
});

describe('a prepared EVM transaction as EIP-1193 wants it', () => {
  it('hex quantities; EIP-1559 fees when OKX gave a priority fee, else a legacy gas price', () => {
    const base = { chainId: 56, from: '0xme', to: '0xrouter', data: '0x12', value: '1000000000000000000' };
    expect(toRpcTransaction({ ...base, gas: '210000', gasPrice: '3000000000' })).toEqual({
      from: '0xme',
      to: '0xrouter',
      data: '0x12',
      value: '0xde0b6b3a7640000',
      chainId: '0x38',
      gas: '0x33450',
      gasPrice: '0xb2d05e00',
    });
    expect(
      toRpcTransaction({ ...base, value: '0', gasPrice: '3000000000', maxPriorityFeePerGas: '1000000000' }),
    ).toMatchObject({ value: '0x0', maxFeePerGas: '0xb2d05e00', maxPriorityFeePerGas: '0x3b9aca00' });
  });
});
