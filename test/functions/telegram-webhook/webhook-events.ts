import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';

export const SECRET = 'c2VjcmV0LXRva2VuLWZvci10ZXN0cy0zMi1ieXRlcw';

/** An API Gateway HTTP API (payload v2) event as Lambda receives it for POST /telegram/webhook. */
export function webhookEvent(
  body: unknown,
  options: { secret?: string | null; base64?: boolean; method?: string; path?: string; headerName?: string } = {},
): APIGatewayProxyEventV2 {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const method = options.method ?? 'POST';
  const path = options.path ?? '/telegram/webhook';
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    host: 'abc123.execute-api.eu-west-1.amazonaws.com',
    'user-agent': 'TelegramBot',
  };
  if (options.secret !== null)
    headers[options.headerName ?? 'x-telegram-bot-api-secret-token'] = options.secret ?? SECRET;
  return {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-west-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '91.108.6.1', userAgent: 'TelegramBot' },
      requestId: 'req-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: '18/Mar/2026:10:00:00 +0000',
      timeEpoch: 1_773_828_000_000,
    },
    body: options.base64 ? Buffer.from(raw).toString('base64') : raw,
    isBase64Encoded: options.base64 ?? false,
  };
}

/** The Lambda context API Gateway's invocation carries (20 s timeout, as infra WEBHOOK_TIMEOUT). */
export function webhookContext(awsRequestId = 'c0ffee00-0000-4000-8000-000000000001'): Context {
  return {
    ...createLocalLambdaContext({ functionName: 'EstherPortfolio-TelegramWebhook', timeoutMs: 20_000, memoryMb: 1024 }),
    awsRequestId,
  };
}
