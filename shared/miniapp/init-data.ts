import { isSignatureInvalidError, sign, validate } from '@telegram-apps/init-data-node';

/** The header every Mini App API request carries: Telegram's raw `initData` string, unchanged. */
export const INIT_DATA_HEADER = 'x-telegram-init-data';

/** initData longer than this is not Telegram's (a few hundred bytes with a long name and photo URL). */
export const MAX_INIT_DATA_LENGTH = 4096;

/** A signed auth_date may run ahead of this server's clock by this much (clock skew), no more. */
export const MAX_CLOCK_SKEW_SECONDS = 60;

export type InitDataProblem = 'missing' | 'malformed' | 'forged' | 'expired' | 'no-user';

export type InitDataCheck =
  { readonly ok: true; readonly userId: string } | { readonly ok: false; readonly problem: InitDataProblem };

export interface InitDataOptions {
  /** initData older than this (from its auth_date) is refused. */
  readonly maxAgeSeconds: number;
  readonly now: Date;
}

/**
 * Telegram's check of a Mini App's initData (core.telegram.org/bots/webapps, "Validating data received via
 * the Mini App"): the HMAC-SHA256 of the sorted `key=value` lines but `hash`, keyed by
 * HMAC_SHA256("WebAppData", bot_token), must equal `hash`; done by @telegram-apps/init-data-node. The age is
 * checked here against the given clock (the library's check reads Date.now()). The user id comes from the
 * signed `user` field alone. Never throws: every problem is a refusal.
 */
export function checkInitData(raw: string | undefined, botToken: string, options: InitDataOptions): InitDataCheck {
  if (raw === undefined || raw.trim() === '') return { ok: false, problem: 'missing' };
  if (raw.length > MAX_INIT_DATA_LENGTH) return { ok: false, problem: 'malformed' };
  try {
    validate(raw, botToken, { expiresIn: 0 });
  } catch (error) {
    return { ok: false, problem: isSignatureInvalidError(error) ? 'forged' : 'malformed' };
  }
  // Read here, not with the library's parse(): its schema requires fields (e.g. `signature`) that the check does
  // not need and some clients do not send; only auth_date and user.id matter, and both were signed.
  const fields = new URLSearchParams(raw);
  const authDate = Number(fields.get('auth_date'));
  if (!Number.isSafeInteger(authDate) || authDate <= 0) return { ok: false, problem: 'malformed' };
  let user: unknown;
  try {
    user = JSON.parse(fields.get('user') ?? 'null');
  } catch {
    return { ok: false, problem: 'malformed' };
  }
  const ageSeconds = options.now.getTime() / 1000 - authDate;
  if (ageSeconds > options.maxAgeSeconds || ageSeconds < -MAX_CLOCK_SKEW_SECONDS)
    return { ok: false, problem: 'expired' };
  const id = (user as { id?: unknown } | null)?.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) return { ok: false, problem: 'no-user' };
  return { ok: true, userId: String(id) };
}

export interface InitDataUser {
  readonly id: number;
  readonly first_name: string;
  readonly username?: string;
  readonly language_code?: string;
}

/**
 * Signs initData for `user` as Telegram would for the bot with `botToken`: for the local chat page (which opens
 * the Mini App without Telegram), the tests and the bench. Never used with a production token outside Telegram.
 */
export function signInitData(user: InitDataUser, botToken: string, authDate: Date, queryId = 'AAHlocal'): string {
  return sign({ user: { ...user }, query_id: queryId }, botToken, authDate);
}
