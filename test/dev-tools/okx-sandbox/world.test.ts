import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { call, control, qs, USDC_ETH } from './sandbox-client';

const ALL = '1,10,56,137,8453,42161,43114,501';
const balances = (address: string, extra: Record<string, string> = {}) =>
  `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address, chains: ALL, ...extra })}`;
const EVM_RE = /^0x[0-9a-f]{40}$/;

describe('OKX sandbox world and balance API', () => {
  let sandbox: OkxSandbox;
  let other: OkxSandbox;
  beforeAll(async () => {
    [sandbox, other] = await Promise.all([
      startOkxSandbox({ seed: 1, rateLimitPerSecond: 1000 }),
      startOkxSandbox({ seed: 1, rateLimitPerSecond: 1000 }),
    ]);
  });
  afterAll(() => Promise.all([sandbox.stop(), other.stop()]));
  const wallet = (name: string) => sandbox.world.demoWallets().find((demo) => demo.name === name)!.address;

  it('offers named EVM and Solana demo wallets with valid addresses', () => {
    const wallets = sandbox.world.demoWallets();
    expect(wallets.map((demo) => demo.name)).toEqual(['whale', 'degen', 'stable-saver', 'solana-trader', 'empty']);
    for (const demo of wallets.filter((item) => item.kind === 'evm')) expect(demo.address).toMatch(EVM_RE);
    expect(wallet('solana-trader')).toMatch(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/);
    const whaleChains = new Set(sandbox.world.getBalances(wallet('whale')).map((row) => row.chainIndex));
    expect([...whaleChains].sort()).toEqual(['1', '10', '137', '42161', '43114', '56', '8453']);
  });

  it('gives the same seed the same world and another address another portfolio', async () => {
    const address = '0x00000000000000000000000000000000000a11ce';
    const first = await call(sandbox, 'GET', balances(address));
    const again = await call(other, 'GET', balances(address));
    expect(first.json.data).toEqual(again.json.data);
    const tokens = first.json.data[0].tokenAssets;
    expect(tokens.length).toBeGreaterThanOrEqual(1);
    expect(tokens.length).toBeLessThanOrEqual(6);
    expect(new Set(tokens.map((row: { chainIndex: string }) => row.chainIndex)).size).toBeLessThanOrEqual(3);
    const different = await call(sandbox, 'GET', balances('0x00000000000000000000000000000000000b0b00'));
    expect(different.json.data[0].tokenAssets).not.toEqual(tokens);
    const seeded = await startOkxSandbox({ seed: 2 });
    try {
      expect(seeded.world.demoWallets()[0]!.address).not.toBe(wallet('whale'));
      expect((await call(seeded, 'GET', balances(address))).json.data[0].tokenAssets).not.toEqual(tokens);
    } finally {
      await seeded.stop();
    }
  });

  it('sends every number as a string and rawBalance as "" or exactly balance × 10^decimals', () => {
    const rows = [...sandbox.world.demoWallets(), { address: '0x00000000000000000000000000000000000c0de0' }].flatMap(
      (demo) => sandbox.world.getBalances(demo.address),
    );
    expect(rows.some((row) => row.rawBalance === '')).toBe(true);
    expect(rows.some((row) => row.rawBalance !== '')).toBe(true);
    for (const row of rows.filter((item) => item.rawBalance !== '')) {
      const [whole, fraction = ''] = row.balance.split('.');
      expect(BigInt(row.rawBalance)).toBe(BigInt(whole! + fraction.padEnd(row.decimals, '0')));
    }
  });

  it('filters risk tokens with excludeRiskToken "0" (the default) and includes them with "1"', async () => {
    const filtered = (await call(sandbox, 'GET', balances(wallet('degen')))).json.data[0].tokenAssets;
    const included = (await call(sandbox, 'GET', balances(wallet('degen'), { excludeRiskToken: '1' }))).json.data[0]
      .tokenAssets;
    expect(filtered.some((row: { isRiskToken: boolean }) => row.isRiskToken)).toBe(false);
    expect(
      included.filter((row: { isRiskToken: boolean }) => row.isRiskToken).map((row: { symbol: string }) => row.symbol),
    ).toEqual(['CLAIM-ETH', 'USDT-AIRDROP']);
    expect(included.find((row: { symbol: string }) => row.symbol === 'NOPRICE').tokenPrice).toBe('');
    expect(
      included.find((row: { chainIndex: string; symbol: string }) => row.chainIndex === '137' && row.symbol === 'DAI')
        .balance,
    ).toBe('0.000000000000001234');
  });

  it('reports total value with the Boolean excludeRiskToken of §6.2', async () => {
    const target = (flag: string) =>
      `/api/v6/dex/balance/total-value-by-address?${qs({ address: wallet('stable-saver'), chains: '10,137', excludeRiskToken: flag })}`;
    const result = await call(sandbox, 'GET', target('true'));
    // 1200 USDC × 0.9998 + 800 USDT × 1.0003
    expect(result.json).toEqual({ code: '0', msg: '', data: [{ totalValue: '2000' }] });
    expect((await call(sandbox, 'GET', target('1'))).json.code).toBe('81001');
  });

  it('reflects setBalance, setPrice and setRiskToken in the API', async () => {
    const address = wallet('empty');
    sandbox.world.setBalance({
      address,
      chainIndex: '1',
      tokenAddress: USDC_ETH.toUpperCase().replace('0X', '0x'),
      balance: '12.5',
    });
    sandbox.world.setPrice({ chainIndex: '1', tokenAddress: USDC_ETH, priceUsd: '0.95' });
    let rows = (await call(sandbox, 'GET', balances(address))).json.data[0].tokenAssets;
    expect(rows).toEqual([
      expect.objectContaining({
        chainIndex: '1',
        tokenContractAddress: USDC_ETH,
        symbol: 'USDC',
        balance: '12.5',
        tokenPrice: '0.95',
        isRiskToken: false,
      }),
    ]);
    sandbox.world.setRiskToken({ chainIndex: '1', tokenAddress: USDC_ETH });
    expect((await call(sandbox, 'GET', balances(address))).json.data[0].tokenAssets).toEqual([]);
    sandbox.world.setRiskToken({ chainIndex: '1', tokenAddress: USDC_ETH, isRiskToken: false });
    sandbox.world.setBalance({ address, chainIndex: '1', tokenAddress: USDC_ETH, balance: '0' });
    rows = (await call(sandbox, 'GET', balances(address))).json.data[0].tokenAssets;
    expect(rows).toEqual([]);
    expect(() =>
      sandbox.world.setBalance({ address, chainIndex: '1', tokenAddress: USDC_ETH, balance: '0.1234567' }),
    ).toThrow(/decimal places/);
    sandbox.world.setPrice({ chainIndex: '1', tokenAddress: USDC_ETH, priceUsd: '0.9998' });
  });

  it('offers the same controls over HTTP under /__sandbox', async () => {
    const address = '0x00000000000000000000000000000000000d0d00';
    expect(
      (await control(sandbox, 'POST', 'set-balance', { address, chainIndex: '501', tokenAddress: '', balance: '1' }))
        .json.ok,
    ).toBe(true);
    const set = await control(sandbox, 'POST', 'set-balance', {
      address,
      chainIndex: '56',
      tokenAddress: '',
      balance: '3.25',
    });
    expect(set.json.ok).toBe(true);
    const read = await control(sandbox, 'GET', `balances?address=${address}`);
    expect(read.json.result).toContainEqual(
      expect.objectContaining({ chainIndex: '56', symbol: 'BNB', balance: '3.25' }),
    );
    expect(
      (await control(sandbox, 'POST', 'set-price', { chainIndex: '56', tokenAddress: '', priceUsd: 'abc' })).status,
    ).toBe(400);
    expect((await control(sandbox, 'POST', 'move-market', { percent: '10' })).json.result).toEqual({
      moved: expect.any(Number),
    });
    expect(sandbox.world.findToken('56', '')!.priceUsd).toBe('649.132');
    expect((await control(sandbox, 'GET', 'wallets')).json.result).toHaveLength(5);
  });

  it('answers token-balances-by-address for at most 20 tokens, reporting known unheld tokens as "0"', async () => {
    const address = wallet('whale');
    const body = {
      address,
      tokenContractAddresses: [
        { chainIndex: '1', tokenContractAddress: '' },
        { chainIndex: '1', tokenContractAddress: '0x6b175474e89094c44da98b954eedeac495271d0f' },
      ],
    };
    const result = await call(sandbox, 'POST', '/api/v6/dex/balance/token-balances-by-address', { body });
    expect(
      result.json.data[0].tokenAssets.map((row: { symbol: string; balance: string }) => [row.symbol, row.balance]),
    ).toEqual([
      ['ETH', '12.5'],
      ['DAI', '0'],
    ]);
    const tooMany = {
      address,
      tokenContractAddresses: Array.from({ length: 21 }, () => ({ chainIndex: '1', tokenContractAddress: '' })),
    };
    const rejected = await call(sandbox, 'POST', '/api/v6/dex/balance/token-balances-by-address', { body: tooMany });
    expect([rejected.status, rejected.json.code]).toEqual([200, '81001']);
    const missing = await call(sandbox, 'POST', '/api/v6/dex/balance/token-balances-by-address');
    expect([missing.status, missing.json.code]).toEqual([200, '81001']);
  });

  it('enforces at most 50 chains, supported chains and valid addresses on balance calls', async () => {
    const chains = Array.from({ length: 51 }, (_, index) => String(index + 1)).join(',');
    const tooMany = await call(
      sandbox,
      'GET',
      `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: wallet('whale'), chains })}`,
    );
    expect([tooMany.status, tooMany.json]).toEqual([200, { code: '81001', msg: expect.any(String), data: [] }]);
    const unsupported = await call(
      sandbox,
      'GET',
      `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: wallet('whale'), chains: '1,999999' })}`,
    );
    expect(unsupported.json.code).toBe('81104');
    const missing = await call(
      sandbox,
      'GET',
      `/api/v6/dex/balance/all-token-balances-by-address?${qs({ address: wallet('whale') })}`,
    );
    expect([missing.status, missing.json.code]).toEqual([400, '50014']);
    expect((await call(sandbox, 'GET', balances('0x123'))).json.code).toBe('81001');
  });

  it('serves Tron addresses (base58check, 0x41) on chain 195 with native TRX as "" and refuses a Tron checksum typo', async () => {
    const tron = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
    const rows = (await call(sandbox, 'GET', balances(tron, { chains: '1,195,501' }))).json.data[0].tokenAssets as {
      chainIndex: string;
      tokenContractAddress: string;
      address: string;
    }[];
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(new Set(rows.map((row) => row.chainIndex))).toEqual(new Set(['195']));
    expect(
      rows.every(
        (row) => row.address === tron && ['', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'].includes(row.tokenContractAddress),
      ),
    ).toBe(true);
    expect(
      (await call(sandbox, 'GET', balances('TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU8', { chains: '195' }))).json.code,
    ).toBe('81001');
  });

  it('lists supported chains with string chainIndex values', async () => {
    const result = await call(sandbox, 'GET', '/api/v6/dex/balance/supported/chain');
    expect(result.json.data).toContainEqual({
      name: 'Solana',
      logoUrl: expect.any(String),
      shortName: 'SOL',
      chainIndex: '501',
    });
  });
});
