import { createHmac, randomBytes } from 'node:crypto';

/** The Telegram user the local chat page speaks as. */
export interface LocalUser {
  readonly id: number;
  readonly firstName: string;
}

/**
 * Mini App `initData` as Telegram builds it for a `web_app` button in a private chat, signed with the bot token
 * (core.telegram.org/bots/webapps, "Validating data received via the Mini App"): the fields sorted by key as
 * `key=value` lines form the data-check string; hash = hex(HMAC_SHA256(data_check_string, secret)) with
 * secret = HMAC_SHA256(bot_token, key "WebAppData"). Answered as a query string, the way Telegram hands it over.
 */
export function signInitData(
  botToken: string,
  user: LocalUser,
  options: { authDate?: Date; queryId?: string; signature?: string } = {},
): string {
  const authDate = options.authDate ?? new Date();
  const fields: Record<string, string> = {
    auth_date: String(Math.floor(authDate.getTime() / 1000)),
    chat_instance: String(BigInt(user.id) * 7919n),
    chat_type: 'private',
    query_id: options.queryId ?? `AAF${randomBytes(12).toString('base64url')}`,
    // Telegram adds an Ed25519 `signature` for third parties (checked with Telegram's public key, which no local
    // run can sign for); the SDK insists on the field, and like every field but `hash` it is under the HMAC.
    signature: options.signature ?? randomBytes(64).toString('base64url'),
    user: JSON.stringify({ id: user.id, first_name: user.firstName, language_code: 'en', allows_write_to_pm: true }),
  };
  const dataCheckString = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const hash = createHmac('sha256', secret).update(dataCheckString).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}
