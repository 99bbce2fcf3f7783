import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routerAllowlist, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { createOkxClient, type OkxClient } from '../../shared/platform/okx/okx-client';
import { createPlanStore, type StoredPlan } from '../../shared/rebalance/plan-store';
import { readRouterAllowlist } from '../../shared/rebalance/router-allowlist';
import { createSettingsStore } from '../../shared/rebalance/settings-store';
import { createSigningService, type SigningService } from '../../shared/rebalance/signing-service';
import { createTestDynamo } from '../support/dynamo';
import { signEip1559 } from '../shared/rebalance/signing-fixtures';

const USDC = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

/**
 * The server's signing flow against the OKX sandbox over real HTTP (issue 13): a viem wallet with 1,000 USDC sells
 * 100 USDC for ETH: approve (exact amount) → sandbox confirms → swap → confirmed, balances moved; and a rejected
 * broadcast is answered in words and never sent again.
 */
describe('signing against the OKX sandbox', () => {
  let sandbox: OkxSandbox;
  let okx: OkxClient;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 1000, confirmAfterMs: 0 });
    okx = createOkxClient({ baseUrl: sandbox.url, credentials: sandbox.credentials, ratePerSecond: 1000, burst: 1000 });
  });
  afterAll(() => sandbox.stop());

  async function setUp(): Promise<{
    service: SigningService;
    wallet: string;
    sign: (tx: { to: string; data: string; value: string }) => Promise<string>;
    nonce: { next: number };
  }> {
    const db = await createTestDynamo();
    const plans = createPlanStore(db.doc, db.tables.sessions);
    const settings = createSettingsStore(db.doc, db.tables.sessions);
    const account = privateKeyToAccount(generatePrivateKey());
    const wallet = account.address.toLowerCase();
    for (const chainIndex of ['1'])
      for (const token of sandbox.world.getBalances(wallet).filter((row) => row.chainIndex === chainIndex))
        sandbox.world.setBalance({
          address: wallet,
          chainIndex,
          tokenAddress: token.tokenContractAddress,
          balance: '0',
        });
    sandbox.world.setBalance({ address: wallet, chainIndex: '1', tokenAddress: USDC, balance: '1000' });
    sandbox.world.setBalance({ address: wallet, chainIndex: '1', tokenAddress: '', balance: '0' });
    await settings.setLiveMode('42', true, new Date().toISOString());
    const quote = await okx.getQuote({
      chainIndex: '1',
      fromTokenAddress: USDC,
      toTokenAddress: '',
      amountRaw: '100000000',
      slippagePercent: '1',
    });
    const now = new Date();
    const plan: StoredPlan = {
      planId: 'live1',
      userId: '42',
      chatId: 42,
      state: 'awaiting-signature',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 300_000).toISOString(),
      signBy: new Date(now.getTime() + 900_000).toISOString(),
      slippagePercent: '1',
      mode: 'target',
      totalValueUsd: '1000',
      legs: [
        {
          leg: {
            chainIndex: '1',
            walletAddress: wallet,
            from: { chainIndex: '1', tokenAddress: USDC, assetId: 'usdc', symbol: 'USDC', decimals: 6 },
            to: { chainIndex: '1', tokenAddress: '', assetId: 'eth', symbol: 'ETH', decimals: 18 },
            amount: '100',
            amountRaw: '100000000',
            valueUsd: '100',
          },
          quote: { toAmountRaw: quote.toAmountRaw, minReceivedRaw: quote.minReceivedRaw!, costUsd: '0.5' },
          execution: { rev: 1, state: 'awaiting-signature', walletAddress: wallet, steps: [] },
        },
      ],
      dropped: [],
      allocation: [],
    };
    await plans.create(plan);
    const nonce = { next: 0 };
    const service = createSigningService({
      plans,
      market: okx,
      settings,
      dryRun: false,
      routers: readRouterAllowlist(JSON.stringify(routerAllowlist())),
      now: () => new Date(),
    });
    const sign = (tx: { to: string; data: string; value: string }) => signEip1559(account, tx, { nonce: nonce.next++ });
    return { service, wallet, sign, nonce };
  }

  it('approves exactly the amount, swaps, tracks to confirmed and moves the balances', async () => {
    const { service, wallet, sign } = await setUp();
    const leg = { userId: '42', planId: 'live1', legIndex: 0 };

    const approve = await service.prepare({ ...leg, address: wallet });
    expect(approve).toMatchObject({ kind: 'approve', evm: { to: USDC }, summary: { approval: { amount: '100' } } });
    await service.broadcast({ ...leg, stepId: approve.stepId, signedTx: await sign(approve.evm!) });
    expect((await service.track('live1'))!.legs[0]!.execution!.state).toBe('approving');

    const swap = await service.prepare({ ...leg, address: wallet });
    expect(swap.kind).toBe('swap');
    expect(swap.checks.every((check) => check.ok)).toBe(true);
    await service.broadcast({ ...leg, stepId: swap.stepId, signedTx: await sign(swap.evm!) });
    const done = await service.track('live1');

    expect(done!.state).toBe('confirmed');
    const step = done!.legs[0]!.execution!.steps.at(-1)!;
    expect(step.realised).toEqual({ fromAmountRaw: '100000000', toAmountRaw: done!.legs[0]!.quote.toAmountRaw });
    const usdc = sandbox.world
      .getBalances(wallet)
      .find((row) => row.chainIndex === '1' && row.tokenContractAddress === USDC);
    expect(usdc?.balance).toBe('900');
  });

  it('answers a rejected broadcast in words, fails the leg and never sends it again', async () => {
    const { service, wallet, sign } = await setUp();
    const leg = { userId: '42', planId: 'live1', legIndex: 0 };
    const approve = await service.prepare({ ...leg, address: wallet });
    sandbox.faults.inject({ kind: 'broadcastRejected', times: 1 });
    const before = sandbox.stats.perPath['/api/v6/dex/pre-transaction/broadcast-transaction'] ?? 0;
    const signedTx = await sign(approve.evm!);

    await expect(service.broadcast({ ...leg, stepId: approve.stepId, signedTx })).rejects.toMatchObject({
      status: 502,
      code: 'broadcast-rejected',
    });
    await service.broadcast({ ...leg, stepId: approve.stepId, signedTx }).catch(() => undefined);

    expect((sandbox.stats.perPath['/api/v6/dex/pre-transaction/broadcast-transaction'] ?? 0) - before).toBe(1);
    expect((await service.view('42', 'live1')).plan.state).toBe('failed');
  });
});
