import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, sign } from './sandbox-client';

const NOW = Date.parse('2025-01-01T00:00:10.000Z');
const QUOTE =
  '/api/v6/dex/aggregator/quote?chainIndex=1&amount=1000000&fromTokenAddress=0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee&toTokenAddress=0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';
const CHAINS = '/api/v6/dex/balance/supported/chain';

describe('OKX sandbox authentication', () => {
  let sandbox: OkxSandbox;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({
      now: () => NOW,
      credentials: {
        apiKey: 'key-1',
        secretKey: '22582BD0CFF14C41EDBF1AB98506286D',
        passphrase: 'pass-1',
        projectId: 'project-1',
      },
    });
  });
  afterAll(() => sandbox.stop());
  const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

  it('accepts the signature test vector of okx-api.md §2.3 over the raw query string', async () => {
    const result = await call(sandbox, 'GET', QUOTE, {
      timestamp: '2025-01-01T00:00:00.000Z',
      headers: { 'OK-ACCESS-SIGN': 'DJOxhze/9jty9UXWhT+kYkH2jwJaPP0dxOcZBEMHGFI=' },
    });
    expect(result.status).toBe(200);
    expect(result.json.code).toBe('0');
  });

  it('accepts the POST test vector, signed over the raw body', async () => {
    const body = [{ chainIndex: '1', tokenContractAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' }];
    const result = await call(sandbox, 'POST', '/api/v6/dex/market/price', {
      body,
      timestamp: '2025-01-01T00:00:00.000Z',
      headers: { 'OK-ACCESS-SIGN': 'Mfu17ZbvAS0MQI2esf4cPHiWS8kJ4t7g2ajyKHbjBuU=' },
    });
    expect(result.json.data[0].price).toBe('0.9998');
  });

  it.each([
    [
      'a missing key',
      {
        'OK-ACCESS-KEY': undefined,
        'OK-ACCESS-SIGN': undefined,
        'OK-ACCESS-TIMESTAMP': undefined,
        'OK-ACCESS-PASSPHRASE': undefined,
      },
      '50103',
    ],
    [
      'a missing sign (before the timestamp)',
      { 'OK-ACCESS-SIGN': undefined, 'OK-ACCESS-TIMESTAMP': undefined, 'OK-ACCESS-PASSPHRASE': undefined },
      '50106',
    ],
    [
      'a missing timestamp (before the passphrase)',
      { 'OK-ACCESS-TIMESTAMP': undefined, 'OK-ACCESS-PASSPHRASE': undefined },
      '50107',
    ],
    ['a missing passphrase', { 'OK-ACCESS-PASSPHRASE': undefined }, '50104'],
    [
      'an unparseable timestamp (before the key check)',
      { 'OK-ACCESS-TIMESTAMP': '1735689600', 'OK-ACCESS-KEY': 'other' },
      '50112',
    ],
    [
      'an unknown key (before the passphrase check)',
      { 'OK-ACCESS-KEY': 'other', 'OK-ACCESS-PASSPHRASE': 'wrong' },
      '50111',
    ],
    [
      'a wrong passphrase (before the signature check)',
      { 'OK-ACCESS-PASSPHRASE': 'wrong', 'OK-ACCESS-SIGN': 'AAAA' },
      '50105',
    ],
    ['a bad signature', { 'OK-ACCESS-SIGN': 'AAAA' }, '50113'],
    ["a project that is not the key's", { 'OK-ACCESS-PROJECT': 'project-2' }, '50114'],
  ])('rejects %s with its code and HTTP 401', async (_name, headers, code) => {
    const result = await call(sandbox, 'GET', CHAINS, { headers, timestamp: at(0) });
    expect(result.status).toBe(401);
    expect(result.json).toEqual({ code, msg: expect.any(String), data: [] });
  });

  it('rejects timestamps more than 30 seconds away from its clock with 50112, both ways', async () => {
    expect((await call(sandbox, 'GET', CHAINS, { timestamp: at(-30_001) })).json.code).toBe('50112');
    expect((await call(sandbox, 'GET', CHAINS, { timestamp: at(30_001) })).json.code).toBe('50112');
    expect((await call(sandbox, 'GET', CHAINS, { timestamp: at(-30_000) })).status).toBe(200);
    expect((await call(sandbox, 'GET', CHAINS, { timestamp: at(29_000) })).status).toBe(200);
  });

  it('accepts a timestamp without milliseconds and no project header', async () => {
    const timestamp = '2025-01-01T00:00:05Z';
    const result = await call(sandbox, 'GET', CHAINS, { timestamp, headers: { 'OK-ACCESS-PROJECT': undefined } });
    expect(result.status).toBe(200);
  });

  it('checks the signature against the query exactly as sent, not a re-encoding of it', async () => {
    const encoded =
      '/api/v6/dex/balance/all-token-balances-by-address?address=0x1234567890123456789012345678901234567890&chains=1%2C56';
    const timestamp = at(0);
    const signedDecoded = sign('22582BD0CFF14C41EDBF1AB98506286D', timestamp, 'GET', encoded.replace('%2C', ','), '');
    expect(
      (await call(sandbox, 'GET', encoded, { timestamp, headers: { 'OK-ACCESS-SIGN': signedDecoded } })).json.code,
    ).toBe('50113');
    expect((await call(sandbox, 'GET', encoded, { timestamp })).json.code).toBe('0');
  });

  it('answers unknown routes with 404 and the gateway body, before any auth', async () => {
    const response = await fetch(`${sandbox.url}/api/v6/dex/balance/nope`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ code: 404, error_message: 'Not Found' });
  });

  it('counts auth failures in stats', async () => {
    const before = sandbox.stats.authFailures;
    await call(sandbox, 'GET', CHAINS, { headers: { 'OK-ACCESS-SIGN': 'AAAA' }, timestamp: at(0) });
    expect(sandbox.stats.authFailures).toBe(before + 1);
  });
});

describe('OKX sandbox rate limit', () => {
  it('answers 429 with the 50011 envelope once a key exceeds its per-second budget, and counts it', async () => {
    const sandbox = await startOkxSandbox({ rateLimitPerSecond: 5 });
    try {
      const results = await Promise.all(Array.from({ length: 8 }, () => call(sandbox, 'GET', CHAINS)));
      const limited = results.filter((result) => result.status === 429);
      expect(limited).toHaveLength(3);
      expect(limited[0]!.json).toEqual({ code: '50011', msg: 'Too Many Requests', data: [] });
      expect(limited[0]!.headers.get('retry-after')).toBeNull();
      expect(sandbox.stats.rateLimited).toBe(3);
      expect(sandbox.stats.maxRequestsPerSecond(sandbox.credentials.apiKey)).toBe(8);
      expect(sandbox.stats.perPath[CHAINS]).toBe(8);
    } finally {
      await sandbox.stop();
    }
  });

  it('refills the budget over time and can send Retry-After when asked to', async () => {
    const sandbox = await startOkxSandbox({ rateLimitPerSecond: 2, retryAfterHeader: true });
    try {
      await call(sandbox, 'GET', CHAINS);
      await call(sandbox, 'GET', CHAINS);
      const limited = await call(sandbox, 'GET', CHAINS);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect((await call(sandbox, 'GET', CHAINS)).status).toBe(200);
    } finally {
      await sandbox.stop();
    }
  });
});
