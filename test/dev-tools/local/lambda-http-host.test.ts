import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaHttpHost, type LambdaHttpHost } from '../../../dev-tools/local/lambda-http-host';
import { createMiniAppStaticRoute } from '../../../dev-tools/local/miniapp-static';

// `npm start`'s host: the Mini App's files as CloudFront serves them, its API routes to the API handler.
let host: LambdaHttpHost;
let dir: string;
const seen: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'esther-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>dash</title>');
  writeFileSync(join(dir, 'app.3f9c1a.js'), 'console.log(1)');
  host = await startLambdaHttpHost(
    0,
    {
      'GET /miniapp/api/performance': async () => async (event) => {
        seen.push(`${event.requestContext.http.method} ${event.rawPath}?${event.rawQueryString}`);
        return { statusCode: 200, body: '{}' };
      },
      // `{proxy+}` as on the HTTP API: every POST under the prefix.
      'POST /miniapp/api/*': async () => async (event) => {
        seen.push(`${event.requestContext.http.method} ${event.rawPath}`);
        return { statusCode: 200, body: '{}' };
      },
    },
    [createMiniAppStaticRoute(dir)],
  );
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local host: the Mini App and its API', () => {
  it('routes every POST under /miniapp/api/ to a `/*` route, and nothing for the bare prefix or another method', async () => {
    const post = await fetch(`${host.url}/miniapp/api/plans/p1/legs/0/prepare`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(200);
    expect(seen).toContain('POST /miniapp/api/plans/p1/legs/0/prepare');
    expect((await fetch(`${host.url}/miniapp/api/`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await fetch(`${host.url}/miniapp/api/plans/p1`, { method: 'PUT', body: '{}' })).status).toBe(404);
    seen.length = 0;
  });

  it('serves index.html for the folder, never cached, and hashed files cached for a year', async () => {
    const page = await fetch(`${host.url}/miniapp/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>dash</title>');
    // The page's strict policy, as CloudFront adds it: scripts from its own origin only, framed by Telegram Web.
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'self' https://web.telegram.org");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const script = await fetch(`${host.url}/miniapp/app.3f9c1a.js`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('redirects /miniapp to /miniapp/, and answers 404 for a missing file or a path out of the folder', async () => {
    const redirect = await fetch(`${host.url}/miniapp`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/miniapp/');
    expect((await fetch(`${host.url}/miniapp/nope.js`)).status).toBe(404);
    expect((await fetch(`${host.url}/miniapp/%2e%2e%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/elsewhere`)).status).toBe(404);
  });

  it('hands the API routes to the API handler, with the query string, and nothing else', async () => {
    const answer = await fetch(`${host.url}/miniapp/api/performance?window=30d`);
    expect(answer.status).toBe(200);
    expect(seen).toEqual(['GET /miniapp/api/performance?window=30d']);
    expect((await fetch(`${host.url}/miniapp/api/targets`, { method: 'PUT', body: '{}' })).status).toBe(404);
  });
});
