import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { MINIAPP_CONTENT_SECURITY_POLICY } from '../../shared/miniapp/web/content-security-policy';
import type { RawRoute } from './lambda-http-host';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** The headers CloudFront's response-headers policy adds to every static file (infra/constructs/miniapp-hosting.ts). */
export const MINIAPP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': MINIAPP_CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/**
 * Serves the built Mini App (dist/miniapp) under /miniapp/ as CloudFront does: index.html never cached, the hashed
 * files cached for a year, each with the page's Content-Security-Policy. /miniapp/api/* is left to the API.
 */
export function createMiniAppStaticRoute(dir: string): RawRoute {
  return async (request, response, url) => {
    const path = url.pathname;
    if (request.method !== 'GET' || !(path === '/miniapp' || path.startsWith('/miniapp/'))) return false;
    if (path.startsWith('/miniapp/api/')) return false;
    if (path === '/miniapp') {
      response.writeHead(301, { location: '/miniapp/' }).end();
      return true;
    }
    const name = path === '/miniapp/' ? 'index.html' : normalize(path.slice('/miniapp/'.length));
    if (name.startsWith('..') || name.includes('/')) {
      response.writeHead(404).end();
      return true;
    }
    const body = await readFile(join(dir, name)).catch(() => undefined);
    if (!body) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return true;
    }
    response
      .writeHead(200, {
        ...MINIAPP_SECURITY_HEADERS,
        'content-type': TYPES[extname(name)] ?? 'application/octet-stream',
        'cache-control': name === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      })
      .end(body);
    return true;
  };
}
