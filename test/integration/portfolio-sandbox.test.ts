import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { Dec, sumDecimals, toDecimal } from '../../shared/kernel/decimal';
import type { TestRuntime } from '../support/app-runtime';
import { startSandboxRuntime } from '../support/sandbox-runtime';

const USDC_ETH = '0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48';

/** The real runtime (DynamoDB Local, the OKX client over HTTP, the service) against the OKX sandbox. */
describe('portfolio end to end against the OKX sandbox', () => {
  let sandbox: OkxSandbox;
  let runtime: TestRuntime;
  let clock = new Date('2036-11-24T10:01:00.000Z');

  beforeAll(async () => {
    ({ sandbox, runtime } = await startSandboxRuntime(7, () => clock));
  });
  afterAll(() => sandbox.stop());

  const demo = (name: string) => sandbox.world.demoWallets().find((wallet) => wallet.name === name)!.address;

  /** What the sandbox holds for an address, valued the way the product must value it. */
  function expectedTotal(address: string): string {
    const rows = sandbox.world.getBalances(address).filter((row) => !row.isRiskToken && row.tokenPrice !== '');
    return sumDecimals(rows.map((row) => toDecimal(row.balance).times(toDecimal(row.tokenPrice)))).toString();
  }

  it('syncs a demo wallet and values it exactly, risk tokens hidden and unpriced tokens listed without value', async () => {
    await runtime.service.addWallet('e2e', demo('degen'));

    const result = await runtime.service.syncBalances('e2e');
    const view = await runtime.service.getLiveView('e2e');

    expect(result.failures).toEqual([]);
    expect(view.totalValueUsd).toBe(expectedTotal(demo('degen')));
    expect(view.hiddenRiskTokens).toBe(2);
    expect(view.unpricedTokens).toBe(1);
    expect(view.assets.find((asset) => asset.symbol === 'NOPRICE')?.valueUsd).toBeUndefined();
    expect(view.asOf).toBe(clock.toISOString());
  });

  it('separates a deposit from a price move after the market moves in the sandbox', async () => {
    const address = demo('degen');
    const eth = sandbox.world
      .getBalances(address)
      .find((row) => row.chainIndex === '1' && row.tokenContractAddress === '')!;
    const usdc = sandbox.world
      .getBalances(address)
      .find((row) => row.chainIndex === '1' && row.tokenContractAddress === USDC_ETH);
    const before = toDecimal((await runtime.service.getLiveView('e2e')).totalValueUsd);
    const newEthPrice = toDecimal(eth.tokenPrice).times(new Dec('1.1')).toString();
    const usdcPrice = usdc?.tokenPrice ?? '0.9998';
    sandbox.world.setPrice({ chainIndex: '1', tokenAddress: '', priceUsd: newEthPrice });
    sandbox.world.setBalance({
      address,
      chainIndex: '1',
      tokenAddress: USDC_ETH,
      balance: toDecimal(usdc?.balance ?? '0')
        .plus(new Dec('1000'))
        .toString(),
    });
    clock = new Date('2036-11-24T10:11:00.000Z');

    await runtime.service.syncBalances('e2e');
    const report = await runtime.service.getPerformance('e2e', '24h');

    const priceGain = toDecimal(eth.balance).times(toDecimal(newEthPrice).minus(toDecimal(eth.tokenPrice)));
    const deposit = new Dec('1000').times(toDecimal(usdcPrice));
    expect(report.netFlowsUsd).toBe(deposit.toString());
    expect(report.pnlUsd.value).toBe(priceGain.toString());
    expect(report.endValueUsd).toBe(before.plus(priceGain).plus(deposit).toString());
    expect(toDecimal(report.twr!.value).gt(new Dec('0'))).toBe(true);
  });

  it('keeps the last good holdings of a failing chain and syncs the others', async () => {
    const address = demo('degen');
    sandbox.faults.inject({ kind: 'chainFailure', chains: ['56'] });
    clock = new Date('2036-11-24T10:21:00.000Z');
    try {
      const result = await runtime.service.syncBalances('e2e');
      const view = await runtime.service.getLiveView('e2e');

      expect(result.failures.map((failure) => failure.chainIndex)).toEqual(['56']);
      expect(view.totalValueUsd).toBe(expectedTotal(address));
      expect(view.staleWallets).toBe(1);
    } finally {
      sandbox.faults.clear();
    }
  });

  it('quotes a rebalance leg through the aggregator with price impact and a minimum received', async () => {
    await runtime.service.setTargetAllocation('e2e', { ETH: '50', USDC: '50' });

    const plan = await runtime.service.suggestRebalance('e2e', undefined, 'target');
    const leg = plan.legs[0]!;
    const quote = await runtime.market.getQuote({
      chainIndex: leg.chainIndex,
      fromTokenAddress: leg.from.tokenAddress,
      toTokenAddress: leg.to.tokenAddress,
      amountRaw: leg.amountRaw,
      slippagePercent: '1',
    });

    expect(plan.legs.length).toBeGreaterThan(0);
    expect(toDecimal(quote.toAmountRaw).gt(new Dec('0'))).toBe(true);
    expect(toDecimal(quote.minReceivedRaw!).lte(toDecimal(quote.toAmountRaw))).toBe(true);
    expect(quote.priceImpactPercent).toBeDefined();
  });
});
