import type { RouteContext, Route } from './routes/types';
import {
  errorResponse,
  isOkxApiError,
  json,
  ok,
  rateLimited,
  serviceUnavailable,
  systemError,
  type SandboxResponse,
} from './envelope';
import type { ERROR_FAULT_KINDS, FaultSpec } from './faults';

type ErrorFaultKind = (typeof ERROR_FAULT_KINDS)[number];

/** What an armed fault answers instead of the route; 'hold' means never answer (the 'timeout' fault). */
export function faultResponse(
  fault: FaultSpec & { readonly kind: ErrorFaultKind },
  retryAfter: Record<string, string> | undefined,
): SandboxResponse | 'hold' {
  switch (fault.kind) {
    case 'http500':
      return {
        status: 500,
        body: '<html><body><h1>500 Internal Server Error</h1></body></html>',
        headers: { 'content-type': 'text/html' },
      };
    case 'code50026':
      return errorResponse(systemError());
    case 'malformed':
      return {
        status: 200,
        body: '{"code":"0","msg":"","data":[{"tokenAssets":[{"chainIndex":"1","bal',
        headers: { 'content-type': 'application/json' },
      };
    case 'rateLimit':
      return errorResponse(rateLimited(), retryAfter);
    case 'chainFailure':
      return errorResponse(
        serviceUnavailable(`chain ${(fault.chains ?? []).join(',') || 'request'} failed to respond`),
      );
    case 'timeout':
      return 'hold';
  }
}

/** Runs the route and wraps its data (distorted by an answer fault, if one is given) in the envelope; unexpected errors become 50026 (and are logged). */
export async function runRoute(
  route: Route,
  context: RouteContext,
  distort: (data: unknown) => unknown = (data) => data,
): Promise<SandboxResponse> {
  try {
    return ok(distort(await route.handle(context)));
  } catch (error) {
    if (isOkxApiError(error)) return errorResponse(error);
    console.error(`[okx-sandbox] ${route.method} ${route.path} failed:`, error);
    return errorResponse(systemError());
  }
}

export function badRequest(code: string, message: string): SandboxResponse {
  return json(400, { code, msg: message, data: [] });
}
