import { describe, expect, it, vi } from 'vitest';
import {
  isOkxApiError,
  OkxApiError,
  isOkxRateLimitedError,
  isOkxCircuitOpenError,
  isOkxTransportError,
  isOkxMalformedResponseError,
} from '../../../../shared/platform/okx/okx-errors';
import { signOkxRequest } from '../../../../shared/platform/okx/okx-http';
import { createHarness, CREDENTIALS, ok, okxError, sequence, START_MS } from './okx-test-kit';

const CHAINS = [{ name: 'Ethereum', shortName: 'ETH', chainIndex: '1' }];
const CHAINS_PATH = '/api/v6/dex/balance/supported/chain';

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('OKX HTTP engine (through the explorer)', () => {
  it('signs each request with the OK-ACCESS headers over the exact path and query sent', async () => {
    // Prepare
    const h = createHarness(sequence(ok([])));
    // Act
    await h.explorer.getTokenBalances('0xabc', ['1', '56']);
    // Assess
    const [request] = h.requests;
    expect(request!.requestPath).toBe(
      '/api/v6/dex/balance/all-token-balances-by-address?address=0xabc&chains=1%2C56&excludeRiskToken=0',
    );
    expect(request!.headers.get('OK-ACCESS-TIMESTAMP')).toBe('2025-01-01T00:00:00.000Z');
    expect(request!.headers.get('OK-ACCESS-SIGN')).toBe(
      signOkxRequest({
        timestamp: '2025-01-01T00:00:00.000Z',
        method: 'GET',
        requestPath: request!.requestPath,
        body: '',
        secretKey: CREDENTIALS.secretKey,
      }),
    );
    expect(request!.headers.get('OK-ACCESS-KEY')).toBe(CREDENTIALS.apiKey);
    expect(request!.headers.get('OK-ACCESS-PASSPHRASE')).toBe(CREDENTIALS.passphrase);
    expect(request!.headers.get('OK-ACCESS-PROJECT')).toBe(CREDENTIALS.projectId);
    expect(request!.headers.get('Content-Type')).toBe('application/json');
  });

  it('signs a POST over the exact body string it sends', async () => {
    const h = createHarness(sequence(ok([])));
    await h.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48' }]);
    const [request] = h.requests;
    expect(request!.method).toBe('POST');
    expect(request!.body).toBe(
      '[{"chainIndex":"1","tokenContractAddress":"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"}]',
    );
    expect(request!.headers.get('OK-ACCESS-SIGN')).toBe('Mfu17ZbvAS0MQI2esf4cPHiWS8kJ4t7g2ajyKHbjBuU=');
  });

  it('sends unsigned requests when no credentials are configured', async () => {
    const h = createHarness(sequence(ok(CHAINS)), { credentials: undefined });
    await h.explorer.getSupportedChains();
    expect(h.requests[0]!.headers.get('OK-ACCESS-KEY')).toBeNull();
    expect(h.requests[0]!.headers.get('OK-ACCESS-SIGN')).toBeNull();
  });

  it('retries a 429 with backoff and re-signs with a fresh timestamp', async () => {
    const h = createHarness(sequence(okxError('50011', 'Too Many Requests', 429), ok(CHAINS)));
    await expect(h.explorer.getSupportedChains()).resolves.toEqual([
      { chainIndex: '1', name: 'Ethereum', shortName: 'ETH' },
    ]);
    expect(h.requests).toHaveLength(2);
    expect(h.sleeps).toEqual([250]);
    const [first, second] = h.requests.map((request) => request.headers.get('OK-ACCESS-TIMESTAMP'));
    expect(second).not.toBe(first);
    expect(h.requests[1]!.headers.get('OK-ACCESS-SIGN')).not.toBe(h.requests[0]!.headers.get('OK-ACCESS-SIGN'));
  });

  it('grows the full-jitter backoff exponentially up to the cap', async () => {
    const h = createHarness(sequence(okxError('50026', 'busy', 500)), {
      maxRetries: 5,
      random: () => 0.999,
      backoffBaseMs: 100,
      backoffCapMs: 1_000,
      breakerThreshold: 100,
    });
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50026', httpStatus: 500 });
    expect(h.requests).toHaveLength(6);
    expect(h.sleeps).toEqual([99, 199, 399, 799, 999]);
  });

  it('counts every attempt sent and every rate-limited answer, 429 or code 50011', async () => {
    const metrics = { addMetric: vi.fn() };
    const h = createHarness(
      sequence(okxError('50011', 'Too Many Requests', 429), okxError('50011', 'slow down', 200), ok(CHAINS)),
      { metrics },
    );
    await h.explorer.getSupportedChains();
    const names = metrics.addMetric.mock.calls.map(([name, unit, value]) => `${name}:${unit}:${value}`);
    // Three attempts sent, two of them answered rate limited.
    expect(names.filter((n) => n === 'OkxRequests:Count:1')).toHaveLength(3);
    expect(names.filter((n) => n === 'OkxRateLimited:Count:1')).toHaveLength(2);
    expect(names).toHaveLength(5);
  });

  it('counts no rate limit for other failures', async () => {
    const metrics = { addMetric: vi.fn() };
    const h = createHarness(sequence(okxError('50001', 'busy', 500), ok(CHAINS)), { metrics });
    await h.explorer.getSupportedChains();
    expect(metrics.addMetric.mock.calls).toEqual([
      ['OkxRequests', 'Count', 1],
      ['OkxRequests', 'Count', 1],
    ]);
  });

  it('treats a 429 without a JSON body as rate limited', async () => {
    const h = createHarness(sequence({ status: 429, text: 'Too Many Requests' }), { maxRetries: 1 });
    const error = await caught(h.explorer.getSupportedChains());
    expect(isOkxRateLimitedError(error)).toBe(true);
    expect(error).toMatchObject({ code: '50011', httpStatus: 429, endpoint: CHAINS_PATH });
    expect(h.requests).toHaveLength(2);
  });

  it('treats HTTP 429 as rate limited even when the body claims success', async () => {
    const h = createHarness(sequence({ status: 429, body: { code: '0', data: [] } }), { maxRetries: 0 });
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ name: 'OkxRateLimitedError', code: '50011' });
  });

  it('treats code 50011 at HTTP 200 as rate limited and still an OkxApiError', async () => {
    const h = createHarness(sequence(okxError('50011', 'slow down', 200), ok(CHAINS)));
    await h.explorer.getSupportedChains();
    expect(h.requests).toHaveLength(2);
    const lone = createHarness(sequence(okxError('50011')), { maxRetries: 0 });
    const error = await caught(lone.explorer.getSupportedChains());
    expect(isOkxRateLimitedError(error) && isOkxApiError(error)).toBe(true);
  });

  it('retries HTTP 5xx and the retry-later codes 50001 / 50026', async () => {
    const h = createHarness(
      sequence(
        { status: 502, text: '<html>bad gateway</html>' },
        okxError('50001', 'unavailable', 200),
        okxError('50026', 'system', 500),
        ok(CHAINS),
      ),
    );
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
    expect(h.requests).toHaveLength(4);
  });

  it('does not retry a business error and reports it as OkxApiError with code, msg, endpoint and status', async () => {
    const h = createHarness(sequence(okxError('81104', 'Chain not supported', 200)));
    const error = await caught(h.explorer.getSupportedChains());
    expect(error).toBeInstanceOf(OkxApiError);
    expect(error).toMatchObject({ code: '81104', msg: 'Chain not supported', endpoint: CHAINS_PATH, httpStatus: 200 });
    expect(h.requests).toHaveLength(1);
  });

  it('accepts a numeric envelope code', async () => {
    const h = createHarness(sequence({ body: { code: 0, msg: '', data: CHAINS } }));
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
  });

  it('reads the bare 404 body of an unknown route', async () => {
    const h = createHarness(sequence({ status: 404, body: { code: 404, error_message: 'Not Found' } }));
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({
      code: '404',
      msg: 'Not Found',
      httpStatus: 404,
    });
  });

  it('reports an error status with a success code or a non-JSON body as an API error', async () => {
    const h = createHarness(sequence({ status: 403, body: { code: '0', data: [] } }));
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '403', httpStatus: 403 });
    const html = createHarness(sequence({ status: 401, text: 'denied' }));
    await expect(html.explorer.getSupportedChains()).rejects.toMatchObject({ code: '401', httpStatus: 401 });
  });

  it('rejects malformed envelopes with OkxMalformedResponseError naming the field', async () => {
    const cases = [
      [{ text: 'not json' }, 'body'],
      [{ body: [1, 2] }, 'body'],
      [{ body: { code: true, data: [] } }, 'code'],
      [{ body: { code: '0', msg: '' } }, 'data'],
      [{ body: { code: '0', data: {} } }, 'data'],
      [{ body: { code: '0', data: [{ name: 'Ethereum' }] } }, 'data[0].chainIndex'],
    ] as const;
    for (const [reply, field] of cases) {
      const h = createHarness(sequence(reply));
      const error = await caught(h.explorer.getSupportedChains());
      expect(isOkxMalformedResponseError(error)).toBe(true);
      expect(error).toMatchObject({ field, endpoint: CHAINS_PATH });
      expect(h.requests).toHaveLength(1);
    }
  });

  it('retries a network failure and wraps it in OkxTransportError once retries run out', async () => {
    const h = createHarness(sequence(new TypeError('fetch failed')), { maxRetries: 2 });
    const error = await caught(h.explorer.getSupportedChains());
    expect(isOkxTransportError(error)).toBe(true);
    expect(error).toMatchObject({ isTimeout: false, endpoint: CHAINS_PATH });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(h.requests).toHaveLength(3);
  });

  it('times out a hanging request and retries it', async () => {
    let calls = 0;
    const hanging = (_input: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      if (calls === 2) return Promise.resolve(new Response(JSON.stringify({ code: '0', data: CHAINS })));
      return new Promise<Response>((_resolve, reject) => {
        const signal = init?.signal ?? (_input instanceof Request ? _input.signal : undefined);
        signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
      });
    };
    const h = createHarness(sequence(ok([])), { fetch: hanging as typeof fetch, timeoutMs: 5 });
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
    expect(calls).toBe(2);

    calls = 10;
    const error = await caught(
      createHarness(sequence(ok([])), {
        fetch: hanging as typeof fetch,
        timeoutMs: 5,
        maxRetries: 0,
      }).explorer.getSupportedChains(),
    );
    expect(isOkxTransportError(error)).toBe(true);
    expect(error).toMatchObject({ isTimeout: true });
  });

  it('resyncs the clock once from the Date header after a timestamp error, then keeps the offset', async () => {
    const serverNow = new Date(START_MS + 45_000).toUTCString();
    const h = createHarness(
      sequence(okxError('50112', 'Invalid OK-ACCESS-TIMESTAMP', 401, { date: serverNow }), ok(CHAINS)),
    );
    await h.explorer.getSupportedChains();
    await h.explorer.getSupportedChains();
    const stamps = h.requests.map((request) => request.headers.get('OK-ACCESS-TIMESTAMP'));
    expect(stamps).toEqual(['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:45.000Z', '2025-01-01T00:00:45.000Z']);
    expect(h.sleeps).toEqual([]);
  });

  it('retries a timestamp error once with a fresh timestamp when there is no Date header, and gives up on the second', async () => {
    const h = createHarness(sequence(okxError('50112', 'expired', 401, { date: 'not a date' })));
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50112' });
    expect(h.requests).toHaveLength(2);
    expect(h.requests[1]!.headers.get('OK-ACCESS-TIMESTAMP')).toBe('2025-01-01T00:00:00.000Z');
  });

  it('refreshes the credentials once after an auth error when a provider is given', async () => {
    const rotated = { ...CREDENTIALS, apiKey: 'rotated-key', secretKey: 'rotated-secret' };
    const provider = vi.fn(async (_forceRefresh: boolean) => rotated);
    const h = createHarness(sequence(okxError('50113', 'Invalid signature', 401), ok(CHAINS)), {
      credentialsProvider: provider,
    });
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
    expect(provider).toHaveBeenCalledExactlyOnceWith(true);
    expect(h.requests.map((request) => request.headers.get('OK-ACCESS-KEY'))).toEqual([
      CREDENTIALS.apiKey,
      'rotated-key',
    ]);
  });

  it('gives up after one credential refresh', async () => {
    const provider = vi.fn(async () => CREDENTIALS);
    const h = createHarness(sequence(okxError('50111', 'Invalid OK-ACCESS-KEY', 401)), {
      credentialsProvider: provider,
    });
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50111' });
    expect(provider).toHaveBeenCalledTimes(1);
    expect(h.requests).toHaveLength(2);
  });

  it('does not retry an auth error without a provider', async () => {
    const h = createHarness(sequence(okxError('50105', 'wrong passphrase', 401)));
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50105' });
    expect(h.requests).toHaveLength(1);
  });

  it('loads the credentials buildOnce from the provider when none were given, and retries a failed load', async () => {
    const provider = vi
      .fn<(forceRefresh: boolean) => Promise<typeof CREDENTIALS>>()
      .mockRejectedValueOnce(new Error('secret unavailable'))
      .mockResolvedValue(CREDENTIALS);
    const h = createHarness(sequence(ok(CHAINS)), { credentials: undefined, credentialsProvider: provider });
    await expect(h.explorer.getSupportedChains()).rejects.toThrow('secret unavailable');
    await h.explorer.getSupportedChains();
    await h.explorer.getSupportedChains();
    expect(provider.mock.calls).toEqual([[false], [false]]);
    expect(h.requests.map((request) => request.headers.get('OK-ACCESS-KEY'))).toEqual([
      CREDENTIALS.apiKey,
      CREDENTIALS.apiKey,
    ]);
  });

  it('never puts credentials in error messages', async () => {
    const errors = [
      await caught(createHarness(sequence(okxError('50113', 'Invalid signature', 401))).explorer.getSupportedChains()),
      await caught(
        createHarness(sequence(new TypeError('fetch failed')), { maxRetries: 0 }).explorer.getSupportedChains(),
      ),
      await caught(createHarness(sequence({ text: 'garbage' })).explorer.getSupportedChains()),
    ];
    for (const error of errors) {
      const text = `${(error as Error).message} ${JSON.stringify(error)}`;
      for (const secret of [CREDENTIALS.apiKey, CREDENTIALS.secretKey, CREDENTIALS.passphrase])
        expect(text).not.toContain(secret);
    }
  });

  it('spaces requests at the configured rate across concurrent calls (fake clock)', async () => {
    const h = createHarness(sequence(ok(CHAINS)), { ratePerSecond: 2, burst: 1 });
    const seenAt: number[] = [];
    const explorer = h.explorer;
    await Promise.all([
      explorer.getSupportedChains(),
      explorer.getSupportedChains(),
      explorer.getSupportedChains(),
    ]).then(() => undefined);
    for (const request of h.requests) seenAt.push(Date.parse(request.headers.get('OK-ACCESS-TIMESTAMP')!) - START_MS);
    expect(seenAt).toEqual([0, 500, 1000]);
  });

  it('opens the breaker of a family after consecutive retryable failures and fails fast, leaving other families alone', async () => {
    const h = createHarness(
      (request) =>
        request.url.pathname.includes('/balance/')
          ? okxError('50026', 'system', 500)
          : ok([{ chainIndex: '1', tokenContractAddress: '', time: '1716892020000', price: '1' }]),
      { maxRetries: 1, breakerThreshold: 4, breakerCooldownMs: 30_000 },
    );
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50026' });
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50026' });
    const error = await caught(h.explorer.getSupportedChains());
    expect(isOkxCircuitOpenError(error)).toBe(true);
    expect(error).toMatchObject({ family: 'balance' });
    expect(h.requests).toHaveLength(4);
    await expect(h.explorer.getSpotPrices([{ chainIndex: '1', tokenAddress: '' }])).resolves.toHaveLength(1);
  });

  it('reports the upstream error, not the breaker, when the breaker opens during its own retries', async () => {
    const h = createHarness(sequence(okxError('50026', 'system', 500)), { maxRetries: 5, breakerThreshold: 2 });
    await expect(h.explorer.getSupportedChains()).rejects.toMatchObject({ code: '50026' });
    expect(h.requests).toHaveLength(2);
  });

  it('lets a probe through after the cooldown and closes the breaker when it succeeds', async () => {
    let isHealthy = false;
    const h = createHarness(() => (isHealthy ? ok(CHAINS) : okxError('50001', 'unavailable', 503)), {
      maxRetries: 0,
      breakerThreshold: 2,
      breakerCooldownMs: 30_000,
    });
    await caught(h.explorer.getSupportedChains());
    await caught(h.explorer.getSupportedChains());
    expect(isOkxCircuitOpenError(await caught(h.explorer.getSupportedChains()))).toBe(true);
    h.clock.ms += 30_000;
    isHealthy = true;
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
    await expect(h.explorer.getSupportedChains()).resolves.toHaveLength(1);
  });

  it('does not count business errors or malformed bodies toward opening the breaker', async () => {
    const h = createHarness(sequence(okxError('81001', 'Incorrect parameter')), { breakerThreshold: 1 });
    await caught(h.explorer.getSupportedChains());
    await caught(h.explorer.getSupportedChains());
    expect(h.requests).toHaveLength(2);
  });
});
