import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** As CloudFront serves them (infra/constructs/miniapp-hosting.ts): index.html never cached, hashed files a year. */
export const INDEX_CACHE_CONTROL = 'no-cache';
export const HASHED_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const MISSING_BUILD =
  '<!doctype html><meta charset="utf-8"><title>Esther Portfolio</title><p>The dashboard has not been built yet (dist/miniapp is empty).</p>';

/** A folder served under a URL prefix, e.g. `/miniapp/` -> `dist/miniapp`. */
export interface StaticMount {
  readonly prefix: string;
  readonly dir: string;
}

/**
 * Serves `GET <prefix><file>` from the mount's folder: `<prefix>` is index.html, `<prefix without slash>`
 * redirects to it, nothing outside the folder is ever read. false when the path is not under the prefix.
 */
export async function serveStatic(mount: StaticMount, method: string, pathname: string, response: ServerResponse) {
  if (pathname === mount.prefix.slice(0, -1)) {
    response.writeHead(302, { location: mount.prefix }).end();
    return true;
  }
  if (!pathname.startsWith(mount.prefix) || (method !== 'GET' && method !== 'HEAD')) return false;
  const relative = decodeURIComponent(pathname.slice(mount.prefix.length)) || 'index.html';
  const file = normalize(join(mount.dir, relative));
  if (!file.startsWith(normalize(mount.dir) + sep)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    return true;
  }
  const isIndex = relative === 'index.html';
  const found = await stat(file).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!found) {
    if (isIndex) response.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': INDEX_CACHE_CONTROL });
    else response.writeHead(404, { 'content-type': 'text/plain' });
    response.end(isIndex ? MISSING_BUILD : 'Not Found');
    return true;
  }
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isIndex ? INDEX_CACHE_CONTROL : HASHED_CACHE_CONTROL,
  });
  response.end(method === 'HEAD' ? undefined : await readFile(file));
  return true;
}
