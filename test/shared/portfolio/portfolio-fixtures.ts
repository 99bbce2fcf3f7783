import type { PortfolioServicePort } from '../../../shared/portfolio/portfolio-service-port';
import type {
  DiversificationReport,
  PerformanceReport,
  PerformanceWindow,
  PortfolioView,
  RebalancePlan,
  TargetAllocation,
} from '../../../shared/kernel/types';

export function performance(window: PerformanceWindow): PerformanceReport {
  return {
    window,
    from: '2026-03-11T10:00:00.000Z',
    to: '2026-03-18T10:00:00.000Z',
    startValueUsd: '10000',
    endValueUsd: '11234.5678',
    netFlowsUsd: '500',
    depositsUsd: '500',
    walletsAddedUsd: '0',
    walletsRemovedUsd: '0',
    trackingChanges: [],
    shortHistory: false,
    pnlUsd: { value: '734.5678', method: 'end value - start value - net flows' },
    simpleRoi: { value: '0.0699', method: 'P&L / (start value + deposits)' },
    twr: { value: '0.0651', method: 'time-weighted return (chain-linked, flows removed)' },
    maxDrawdown: { value: '-0.042', method: 'largest peak-to-trough fall of the TWR index' },
    points: 3,
    series: [
      { time: '2026-03-11T10:00:00.000Z', valueUsd: '10000' },
      { time: '2026-03-15T10:00:00.000Z', valueUsd: '10800' },
      { time: '2026-03-18T10:00:00.000Z', valueUsd: '11234.5678' },
    ],
    notes: window === '1y' ? ['not enough history for 1y: 7 days recorded'] : [],
  };
}

export const diversification: DiversificationReport = {
  hhi: '0.415',
  effectiveAssets: '2.4096',
  top1Share: '0.62',
  top3Share: '1',
  stablecoinShare: '0.1',
  sectors: [
    { sector: 'l1', share: '0.9' },
    { sector: 'stablecoin', share: '0.1' },
  ],
  chains: [
    { chainIndex: '1', share: '0.85' },
    { chainIndex: '42161', share: '0.15' },
  ],
  flags: [
    { kind: 'asset-concentration', subject: 'eth', share: '0.62', threshold: '0.5' },
    { kind: 'chain-concentration', subject: '1', share: '0.85', threshold: '0.8' },
  ],
};

export const view: PortfolioView = {
  userId: '7',
  totalValueUsd: '11234.5678',
  assets: [
    {
      assetId: 'eth',
      symbol: 'ETH',
      sector: 'l1',
      quantity: '2',
      valueUsd: '6965',
      share: '0.62',
      chains: ['1'],
      tokens: [],
    },
    {
      assetId: 'wbtc',
      symbol: 'WBTC',
      sector: 'l1',
      quantity: '0.05',
      valueUsd: '3146',
      share: '0.28',
      chains: ['42161'],
      tokens: [],
    },
    {
      assetId: 'usdc',
      symbol: 'USDC',
      sector: 'stablecoin',
      quantity: '1123',
      valueUsd: '1123',
      share: '0.1',
      chains: ['42161'],
      tokens: [],
    },
    { assetId: '1:0xspam', symbol: 'SPAM', sector: 'other', quantity: '5', chains: ['1'], tokens: [] },
  ],
  chains: [],
  wallets: [],
  hiddenRiskTokens: 0,
  unpricedTokens: 1,
  staleWallets: 0,
};

export interface FakePortfolio extends PortfolioServicePort {
  target?: TargetAllocation;
  plan: RebalancePlan;
  calls: string[];
}

export function createFakePortfolio(plan: RebalancePlan): FakePortfolio {
  const unused = async () => {
    throw new Error('not used by this feature');
  };
  const fake: FakePortfolio = {
    plan,
    calls: [],
    target: { eth: '50', wbtc: '30', usdc: '20' },
    addWallet: unused,
    removeWallet: unused,
    syncBalances: unused,
    getHoldingsView: unused,
    setTargetAllocation: unused,
    async listWallets() {
      return [
        {
          userId: '7',
          walletId: 'w1',
          address: '0xwallet',
          family: 'evm',
          chains: ['1', '42161'],
          addedAt: '2026-01-01T00:00:00.000Z',
          valueUsd: '1',
        },
      ];
    },
    async getLiveView() {
      return view;
    },
    async getPerformance(_userId, window) {
      fake.calls.push(`performance:${window}`);
      return performance(window);
    },
    async getDiversification() {
      return diversification;
    },
    async getReport(userId, window) {
      const [performance, diversification, view] = await Promise.all([
        fake.getPerformance(userId, window),
        fake.getDiversification(userId),
        fake.getLiveView(userId),
      ]);
      return { performance, diversification, view };
    },
    async getTargetAllocation() {
      return fake.target;
    },
    async suggestRebalance(userId, _target, mode, unlisted) {
      fake.calls.push(`suggest:${userId}:${mode ?? '-'}:${unlisted ?? '-'}`);
      return fake.plan;
    },
  };
  return fake;
}
