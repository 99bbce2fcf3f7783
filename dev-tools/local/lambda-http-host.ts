import { randomUUID } from 'node:crypto';
import { createLocalLambdaContext } from './local-lambda-context';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** A Lambda handler behind an HTTP API route, as API Gateway v2 invokes it. */
export type HttpLambdaHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2 | string | undefined>;

/** A plain route tried before the Lambda routes (a page, static files); answers true when it served the request. */
export type RawRoute = (request: IncomingMessage, response: ServerResponse, url: URL) => Promise<boolean>;

export interface LambdaHttpHost {
  readonly url: string;
  readonly server: Server;
  stop(): Promise<void>;
}

const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/**
 * Serves Lambda handlers locally behind the same routes ("POST /telegram/webhook"; "GET /miniapp/api/*" for a
 * `{proxy+}` route) as the HTTP API, after the
 * plain routes (`rawRoutes`, e.g. the local chat page) have declined the request.
 */
export async function startLambdaHttpHost(
  port: number,
  routes: Record<string, () => Promise<HttpLambdaHandler>>,
  rawRoutes: readonly RawRoute[] = [],
): Promise<LambdaHttpHost> {
  const server = createServer((request, response) => {
    void serve(request, response, routes, rawRoutes).catch((error: unknown) => {
      console.error(`[local] ${request.method} ${request.url} failed: ${(error as Error).message}`);
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    server,
    // Idle keep-alive sockets (the fake Bot API's fetch keeps one) would hold close() for seconds.
    stop: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  routes: Record<string, () => Promise<HttpLambdaHandler>>,
  rawRoutes: readonly RawRoute[],
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  for (const rawRoute of rawRoutes) if (await rawRoute(request, response, url)) return;
  const routeKey = `${request.method ?? 'GET'} ${url.pathname}`;
  // "GET /miniapp/api/*" stands for the HTTP API's `{proxy+}` routes.
  const route =
    routes[routeKey] ??
    Object.entries(routes).find(
      ([key]) => key.endsWith('/*') && routeKey.startsWith(key.slice(0, -1)) && routeKey.length > key.length - 1,
    )?.[1];
  if (!route) {
    response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
    return;
  }
  const body = await readBody(request);
  const event = toApiGatewayEvent(routeKey, url, request, body);
  const result = await (
    await route()
  )(event, createLocalLambdaContext({ functionName: 'local', timeoutMs: 25_000, memoryMb: 1024 }));
  const structured = typeof result === 'object' && result !== null ? result : { statusCode: 200, body: result ?? '' };
  response.writeHead(structured.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(structured.headers as Record<string, string> | undefined),
  });
  response.end(
    structured.isBase64Encoded && structured.body ? Buffer.from(structured.body, 'base64') : (structured.body ?? ''),
  );
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function toApiGatewayEvent(
  routeKey: string,
  url: URL,
  request: IncomingMessage,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value.join(',') : (value ?? ''),
    ]),
  );
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
  };
}
