import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import type { TestRuntime } from '../support/app-runtime';
import { startSandboxRuntime } from '../support/sandbox-runtime';

/** A Tron wallet (base58check, 21 bytes from 0x41) and the real USDT TRC-20 contract. */
const TRON_WALLET = 'TLa2f6VPqDgRE67v1736s7bJ8Ray5wYjU7';
const USDT_TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

/** Issue 9, defect 12: a Tron wallet is tracked end to end through the OKX balance API (chain 195). */
describe('a Tron wallet against DynamoDB Local and the OKX sandbox over HTTP', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;
  const clock = new Date('2036-11-24T10:01:00.000Z');

  beforeAll(async () => {
    ({ sandbox, runtime } = await startSandboxRuntime(13, () => clock));
  });
  afterAll(() => sandbox.stop());

  it('adds a T… address on Tron, syncs it and values TRX (6 decimals) and USDT exactly', async () => {
    sandbox.world.setBalance({ address: TRON_WALLET, chainIndex: '195', tokenAddress: '', balance: '1000.5' });
    sandbox.world.setBalance({ address: TRON_WALLET, chainIndex: '195', tokenAddress: USDT_TRON, balance: '250' });

    const wallet = await runtime.service.addWallet('tron-user', TRON_WALLET);
    const result = await runtime.service.syncBalances('tron-user');
    const view = await runtime.service.getLiveView('tron-user');

    expect(wallet).toMatchObject({ address: TRON_WALLET, family: 'tron', chains: ['195'] });
    expect(result.failures).toEqual([]);
    // TRX 1000.5 × 0.1215 = 121.56075; USDT 250 × 1.0003 = 250.075; total 371.63575.
    expect(view.totalValueUsd).toBe('371.63575');
    expect(view.assets.map((asset) => [asset.symbol, asset.valueUsd])).toEqual(
      expect.arrayContaining([
        ['USDT', '250.075'],
        ['TRX', '121.56075'],
      ]),
    );
  }, 60_000);
});
