import { createHmac } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const BOT_TOKEN = '777000:miniapp-test-bot-token';
export const OTHER_BOT_TOKEN = '888000:another-bot-token';

/**
 * initData signed as Telegram documents it (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app),
 * written out here rather than with the library under test: the `key=value` lines but `hash`, sorted and joined
 * by "\n", HMAC-SHA256 with the key HMAC-SHA256(key "WebAppData", the bot token); hex.
 */
export function telegramInitData(
  userId: number | undefined,
  authDate: Date,
  options: { token?: string; extra?: Record<string, string> } = {},
): string {
  const fields: Record<string, string> = {
    auth_date: String(Math.floor(authDate.getTime() / 1000)),
    query_id: 'AAHdF6IQAAAAAN0XohDhrOrc',
    ...(userId === undefined ? {} : { user: JSON.stringify({ id: userId, first_name: 'Ann', language_code: 'en' }) }),
    ...options.extra,
  };
  const check = Object.keys(fields)
    .sort()
    .map((key) => `${key}=${fields[key]}`)
    .join('\n');
  const secret = createHmac('sha256', 'WebAppData')
    .update(options.token ?? BOT_TOKEN)
    .digest();
  const hash = createHmac('sha256', secret).update(check).digest('hex');
  return new URLSearchParams({ ...fields, hash }).toString();
}

/** An API Gateway HTTP API (payload v2) event as Lambda receives it for a Mini App API route. */
export function miniAppEvent(
  method: string,
  path: string,
  options: {
    initData?: string;
    query?: Record<string, string>;
    body?: unknown;
    base64?: boolean;
    headerName?: string;
  } = {},
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {
    accept: 'application/json',
    host: 'd111111abcdef8.cloudfront.net',
    'user-agent': 'Mozilla/5.0 (Linux; Android 14) Telegram-Android/11.2.3',
    'x-forwarded-for': '91.108.6.1',
  };
  if (options.initData !== undefined) headers[options.headerName ?? 'x-telegram-init-data'] = options.initData;
  const raw =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  if (raw !== undefined) headers['content-type'] = 'application/json';
  const rawQueryString = options.query ? new URLSearchParams(options.query).toString() : '';
  return {
    version: '2.0',
    routeKey: `${method} /miniapp/api/{proxy+}`,
    rawPath: path,
    rawQueryString,
    headers,
    ...(options.query ? { queryStringParameters: options.query } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '91.108.6.1', userAgent: headers['user-agent']! },
      requestId: 'req-miniapp-1',
      routeKey: `${method} /miniapp/api/{proxy+}`,
      stage: '$default',
      time: '03/Dec/2036:12:00:00 +0000',
      timeEpoch: 2_111_745_600_000,
    },
    ...(raw === undefined ? {} : { body: options.base64 ? Buffer.from(raw).toString('base64') : raw }),
    isBase64Encoded: options.base64 ?? false,
  };
}
