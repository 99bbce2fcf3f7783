import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaHttpHost, type LambdaHttpHost } from '../../../dev-tools/local/lambda-http-host';

// `npm start`'s host: the Mini App's files as CloudFront serves them, its API under a {proxy+}-like prefix route.
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
      'GET /miniapp/api/*': async () => async (event) => {
        seen.push(`${event.requestContext.http.method} ${event.rawPath}?${event.rawQueryString}`);
        return { statusCode: 200, body: '{}' };
      },
    },
    [{ prefix: '/miniapp/', dir }],
  );
});

afterAll(async () => {
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local host: the Mini App and its API', () => {
  it('serves index.html for the folder, never cached, and hashed files cached for a year', async () => {
    const page = await fetch(`${host.url}/miniapp/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>dash</title>');
    const script = await fetch(`${host.url}/miniapp/app.3f9c1a.js`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('redirects /miniapp to /miniapp/, and answers 404 for a missing file or a path out of the folder', async () => {
    const redirect = await fetch(`${host.url}/miniapp`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('/miniapp/');
    expect((await fetch(`${host.url}/miniapp/nope.js`)).status).toBe(404);
    expect((await fetch(`${host.url}/miniapp/%2e%2e%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${host.url}/elsewhere`)).status).toBe(404);
  });

  it('hands every path under /miniapp/api/ to the API handler, with its query string', async () => {
    const answer = await fetch(`${host.url}/miniapp/api/performance?window=30d`);
    expect(answer.status).toBe(200);
    expect(seen).toEqual(['GET /miniapp/api/performance?window=30d']);
    expect((await fetch(`${host.url}/miniapp/api/targets`, { method: 'PUT', body: '{}' })).status).toBe(404);
  });

  it('says the dashboard is not built when the folder has no index.html', async () => {
    const empty = await startLambdaHttpHost(0, {}, [{ prefix: '/miniapp/', dir: join(dir, 'missing') }]);
    const page = await fetch(`${empty.url}/miniapp/index.html`);
    await empty.stop();
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('has not been built');
  });
});
