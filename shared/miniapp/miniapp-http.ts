import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { logger as platformLogger, type Log } from '../platform/logger';
import { checkInitData, INIT_DATA_HEADER } from './init-data';
import { errorAnswer, type ApiAnswer, type Method, type MiniAppApi } from './miniapp-api';

/** A target mix is well under 1 KB; a signed transaction (the broadcast body) a few KB, large swaps up to ~20 KB. */
export const MAX_BODY_BYTES = 64 * 1024;

export const UNAUTHORIZED_MESSAGE = 'Open the dashboard from the bot to sign in.';

export interface MiniAppHandlerDeps {
  /** The bot's token (Secrets Manager, cached); the key initData is checked with. A failure answers 500. */
  readonly getBotToken: () => Promise<string>;
  /** The routes (their services are built on the first signed request). */
  readonly api: MiniAppApi;
  /** MINIAPP_INIT_DATA_MAX_AGE_SECONDS. */
  readonly maxAgeSeconds: number;
  readonly now?: () => Date;
  /** @default the platform logger */
  readonly logger?: Log;
}

export type MiniAppHandler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const toResult = (answer: ApiAnswer): APIGatewayProxyStructuredResultV2 => ({
  statusCode: answer.status,
  headers: {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...answer.headers,
  },
  body: JSON.stringify(answer.body),
});

/**
 * The Mini App API behind the HTTP API (`/miniapp/api/*`): route (404/405), then initData (401: missing, forged,
 * another bot's, expired; the answer holds no data and nothing is read), then the route, as the user Telegram
 * signed for. A failure of our own is a 500 naming nothing but the request id; the log holds the error class.
 */
export function createMiniAppHandler(deps: MiniAppHandlerDeps): MiniAppHandler {
  const logger = deps.logger ?? platformLogger;
  const now = deps.now ?? (() => new Date());
  const { api } = deps;
  return async (event) => {
    const { method, sourceIp } = event.requestContext.http;
    const requestId = event.requestContext.requestId;
    try {
      const found = findRoute(api, event.rawPath);
      if (!found) return toResult(errorAnswer(404, 'not-found', 'No such route.'));
      const { methods, params } = found;
      const route = methods[method as Method];
      if (!route)
        return toResult({
          ...errorAnswer(405, 'method-not-allowed', `Use ${Object.keys(methods).join(' or ')}.`),
          headers: { allow: Object.keys(methods).join(', ') },
        });
      const check = checkInitData(readHeader(event, INIT_DATA_HEADER), await deps.getBotToken(), {
        maxAgeSeconds: deps.maxAgeSeconds,
        now: now(),
      });
      if (!check.ok) {
        logger.warn('mini app call refused', { problem: check.problem, sourceIp });
        return toResult(errorAnswer(401, 'unauthorized', UNAUTHORIZED_MESSAGE));
      }
      const body =
        method === 'PUT' || method === 'POST' ? readJsonBody(event) : { ok: true as const, value: undefined };
      if (!body.ok) return toResult(errorAnswer(400, 'bad-request', body.problem));
      return toResult(
        await route({ userId: check.userId, query: event.queryStringParameters ?? {}, body: body.value, params }),
      );
    } catch (error) {
      logger.error('mini app call failed', { errorName: (error as Error).name, route: event.rawPath, requestId });
      return toResult(errorAnswer(500, 'internal', `Something went wrong (request ${requestId}); try again later.`));
    }
  };
}

function findRoute(api: MiniAppApi, path: string) {
  const exact = api.routes[path];
  if (exact) return { methods: exact, params: {} };
  for (const { pattern, methods } of api.patterns ?? []) {
    const match = pattern.exec(path);
    if (match) return { methods, params: { ...match.groups } };
  }
  return undefined;
}

function readHeader(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

function readJsonBody(event: APIGatewayProxyEventV2): { ok: true; value: unknown } | { ok: false; problem: string } {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) return { ok: false, problem: `body over ${MAX_BODY_BYTES / 1024} KB` };
  try {
    return { ok: true, value: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    return { ok: false, problem: 'body is not JSON' };
  }
}
