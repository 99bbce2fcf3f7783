import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, control, qs } from './sandbox-client';

const ADDRESS = '0x00000000000000000000000000000000000fa017';
const balances = (chains: string) =>
  `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: ADDRESS, chains })}`;
const CHAINS = '/api/v6/dex/market/supported/chain';

describe('OKX sandbox faults', () => {
  let sandbox: OkxSandbox;
  beforeEach(async () => {
    sandbox = await startOkxSandbox({ rateLimitPerSecond: 1000 });
  });
  afterEach(() => sandbox.stop());

  it('answers an HTML 500 for http500 and the 50026 envelope for code50026', async () => {
    sandbox.faults.inject({ path: '/market/', kind: 'http500', times: 1 });
    const html = await call(sandbox, 'GET', CHAINS);
    expect(html.status).toBe(500);
    expect(html.json).toBeUndefined();
    sandbox.faults.inject({ path: /supported\/chain$/, kind: 'code50026', times: 1 });
    const system = await call(sandbox, 'GET', CHAINS);
    expect([system.status, system.json]).toEqual([500, { code: '50026', msg: expect.any(String), data: [] }]);
    expect((await call(sandbox, 'GET', CHAINS)).status).toBe(200);
  });

  it('disarms a fault after `times` matching requests and leaves other paths alone', async () => {
    sandbox.faults.inject({ path: '/market/supported', kind: 'code50026', times: 2 });
    expect((await call(sandbox, 'GET', '/api/v6/dex/balance/supported/chain')).status).toBe(200);
    expect((await call(sandbox, 'GET', CHAINS)).status).toBe(500);
    expect(sandbox.faults.active()).toEqual([expect.objectContaining({ kind: 'code50026', remaining: 1 })]);
    expect((await call(sandbox, 'GET', CHAINS)).status).toBe(500);
    expect((await call(sandbox, 'GET', CHAINS)).status).toBe(200);
    expect(sandbox.faults.active()).toEqual([]);
  });

  it('sends truncated JSON with HTTP 200 for malformed', async () => {
    sandbox.faults.inject({ kind: 'malformed' });
    const result = await call(sandbox, 'GET', CHAINS);
    expect(result.status).toBe(200);
    expect(() => JSON.parse(result.text)).toThrow();
    sandbox.faults.clear();
    expect((await call(sandbox, 'GET', CHAINS)).json.code).toBe('0');
  });

  it('fails only balance calls that include a failing chain', async () => {
    sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'] });
    const failing = await call(sandbox, 'GET', balances('1,56'));
    expect([failing.status, failing.json.code, failing.json.data]).toEqual([503, '50001', []]);
    expect((await call(sandbox, 'GET', balances('1,8453'))).json.code).toBe('0');
    expect((await call(sandbox, 'GET', '/api/v6/dex/market/supported/chain')).status).toBe(200);
    const post = await call(sandbox, 'POST', '/api/v6/dex/balance/token-balances-by-address', {
      body: { address: ADDRESS, tokenContractAddresses: [{ chainIndex: '56', tokenContractAddress: '' }] },
    });
    expect(post.json.code).toBe('50001');
  });

  it('answer faults distort one row of a real answer on the chosen chain, then disarm; the world is unchanged', async () => {
    const whale = sandbox.world.demoWallets().find((demo) => demo.name === 'whale')!.address;
    const rows = sandbox.world.getBalances(whale);
    const onEth = rows.find((row) => row.chainIndex === '1' && row.tokenPrice !== '')!;
    const target = `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: whale, chains: '56,1', excludeRiskToken: '1' })}`;
    const assetsOf = async () =>
      (await call(sandbox, 'GET', target)).json.data[0].tokenAssets as {
        chainIndex: string;
        tokenContractAddress: string;
        balance: string;
        tokenPrice: string;
      }[];
    const find = (assets: Awaited<ReturnType<typeof assetsOf>>) => assets.find((asset) => asset.chainIndex === '1')!;

    sandbox.faults.inject({ kind: 'negativeBalance', chains: ['1'], times: 1 });
    const negative = find(await assetsOf());
    expect(negative.balance).toBe(`-${find(await assetsOf()).balance}`);
    sandbox.faults.inject({ kind: 'hugeBalance', chains: ['1'], times: 1 });
    expect(find(await assetsOf()).balance).toBe('1e+30');
    sandbox.faults.inject({ kind: 'negativePrice', chains: ['1'], times: 1 });
    expect(find(await assetsOf()).tokenPrice).toBe(`-${find(await assetsOf()).tokenPrice}`);
    sandbox.faults.inject({ kind: 'emptyData', times: 1 });
    expect((await call(sandbox, 'GET', target)).json).toEqual({ code: '0', msg: '', data: [] });
    // A fault on chain 56 does not match a request for chain 1 only.
    sandbox.faults.inject({ kind: 'negativeBalance', chains: ['56'], times: 1 });
    const ethOnly = `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: whale, chains: '1', excludeRiskToken: '1' })}`;
    expect(
      (await call(sandbox, 'GET', ethOnly)).json.data[0].tokenAssets.every(
        (asset: { balance: string }) => !asset.balance.startsWith('-'),
      ),
    ).toBe(true);
    expect(sandbox.world.getBalances(whale)).toEqual(rows);
    expect(onEth.balance.startsWith('-')).toBe(false);
  });

  it('negativePrice also distorts the market price endpoint and is accepted over HTTP', async () => {
    expect(
      (await control(sandbox, 'POST', 'faults', { kind: 'negativePrice', path: '/market/price', times: 1 })).json.ok,
    ).toBe(true);
    const body = [{ chainIndex: '1', tokenContractAddress: '0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee' }];
    const price = await call(sandbox, 'POST', '/api/v6/dex/market/price', { body });
    expect(price.json.data[0].price).toMatch(/^-\d/);
    expect((await call(sandbox, 'POST', '/api/v6/dex/market/price', { body })).json.data[0].price).toMatch(/^\d/);
  });

  it('injects 429 for rateLimit and counts it', async () => {
    sandbox.faults.inject({ kind: 'rateLimit', times: 1 });
    const result = await call(sandbox, 'GET', CHAINS);
    expect([result.status, result.json]).toEqual([429, { code: '50011', msg: 'Too Many Requests', data: [] }]);
    expect(sandbox.stats.rateLimited).toBe(1);
  });

  it('holds a timeout request until the client gives up, and stop() still returns promptly', async () => {
    sandbox.faults.inject({ kind: 'timeout' });
    const aborted = call(sandbox, 'GET', CHAINS, { signal: AbortSignal.timeout(200) });
    await expect(aborted).rejects.toThrow(/abort|timeout/i);
    const pending = call(sandbox, 'GET', CHAINS).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await sandbox.stop();
    // A held request must not keep the server open (it would hang until the test timeout); the bound allows a loaded CI box.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await pending).toBeInstanceOf(Error);
  });

  it('accepts faults over HTTP and applies the latency knob to every answer', async () => {
    const slow = await startOkxSandbox({ latencyMs: 150 });
    try {
      expect(
        (await control(slow, 'POST', 'faults', { kind: 'code50026', pathPattern: 'market/supported', times: 1 })).json
          .ok,
      ).toBe(true);
      const started = Date.now();
      expect((await call(slow, 'GET', CHAINS)).status).toBe(500);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      expect((await control(slow, 'POST', 'faults', { kind: 'nope' })).status).toBe(400);
      await control(slow, 'POST', 'faults', { kind: 'http500' });
      await control(slow, 'POST', 'faults/clear');
      expect((await call(slow, 'GET', CHAINS)).status).toBe(200);
      expect(slow.stats.totalRequests).toBe(2);
    } finally {
      await slow.stop();
    }
  });
});
