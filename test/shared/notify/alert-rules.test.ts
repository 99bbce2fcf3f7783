import { describe, expect, it } from 'vitest';
import { analyseDiversification } from '../../../shared/analytics/diversification';
import type { DiversificationReport, Holding, PortfolioView } from '../../../shared/kernel/types';
import {
  gasFlagShare,
  inconclusiveRules,
  isThresholdAllowed,
  observeRules,
  stepThreshold,
  type AlertFigures,
  type AlertObservation,
  defaultAlertSettings,
  thresholdsOf,
  isTriggered,
} from '../../../shared/notify/alert-rules';

const NOW = new Date('2026-12-03T12:00:00.000Z');

/**
 * A $10,000 portfolio worked by hand: ETH 2 × 3,100 = 6,200 (62 %) on Ethereum and Base; USDC 3,000 × 0.97 = 2,910
 * (29.1 %); UNI 890 (8.9 %). Ethereum holds 85 %, Base 15 %. 24 h ago it was worth 11,363.64: −12 %.
 */
const view: PortfolioView = {
  userId: '7',
  totalValueUsd: '10000',
  assets: [
    asset('eth', 'ETH', 'l1', '6200', '0.62', '3100', ['1', '8453']),
    asset('usdc', 'USDC', 'stablecoin', '2910', '0.291', '0.97', ['1']),
    asset('uni', 'UNI', 'defi', '890', '0.089', '8.9', ['1']),
  ],
  chains: [
    { chainIndex: '1', valueUsd: '8500', share: '0.85' },
    { chainIndex: '8453', valueUsd: '1500', share: '0.15' },
  ],
  wallets: [
    {
      walletId: 'w1',
      address: '0x1111111111111111111111111111111111111111',
      valueUsd: '9000',
      lastSyncedAt: '2026-12-03T10:45:00.000Z',
    },
    {
      walletId: 'w2',
      address: '0x2222222222222222222222222222222222222222',
      valueUsd: '1000',
      lastSyncedAt: '2026-12-03T11:50:00.000Z',
    },
  ],
  change24h: {
    absoluteUsd: '-1363.64',
    relative: '-0.12',
    since: '2026-12-02T12:00:00.000Z',
    coveredValueUsd: '10000',
    totalValueUsd: '10000',
  },
  hiddenRiskTokens: 0,
  unpricedTokens: 0,
  staleWallets: 0,
};

const diversification: DiversificationReport = {
  hhi: '0',
  effectiveAssets: '0',
  top1Share: '0.62',
  top3Share: '1',
  stablecoinShare: '0.291',
  sectors: [
    { sector: 'l1', share: '0.62' },
    { sector: 'stablecoin', share: '0.291' },
    { sector: 'defi', share: '0.089' },
  ],
  chains: [
    { chainIndex: '1', share: '0.85' },
    { chainIndex: '8453', share: '0.15' },
  ],
  // Run at the gas rule's clear level: reserve 0.01 ETH × 1.25 = 0.0125.
  flags: [
    {
      kind: 'low-gas-reserve',
      subject: '1',
      threshold: '0.0125',
      walletId: 'w1',
      walletAddress: '0x1111111111111111111111111111111111111111',
      nativeBalance: '0.004',
    },
    {
      kind: 'low-gas-reserve',
      subject: '8453',
      threshold: '0.0025',
      walletId: 'w2',
      walletAddress: '0x2222222222222222222222222222222222222222',
      nativeBalance: '0.0021',
    },
    { kind: 'asset-concentration', subject: 'eth', share: '0.62', threshold: '0.5' },
  ],
};

const figures: AlertFigures = {
  now: NOW,
  view,
  diversification,
  drift: [
    { assetId: 'eth', symbol: 'ETH', current: '0.68', target: '0.5', band: '0.05' },
    { assetId: 'usdc', symbol: 'USDC', current: '0.32', target: '0.5', band: '0.05' },
  ],
};

const defaults = thresholdsOf(defaultAlertSettings());
const pick = (observations: AlertObservation[], rule: string) =>
  observations
    .filter((observation) => observation.rule === rule)
    .map(({ subject, value, trigger, clear, direction }) => ({ subject, value, trigger, clear, direction }));
const firing = (observations: AlertObservation[]) =>
  observations.filter(isTriggered).map((observation) => `${observation.rule}:${observation.subject}`);

describe('alert rules, worked by hand', () => {
  it('observes every rule at its default threshold and fires exactly the conditions that are past it', () => {
    const observations = observeRules(figures, defaults);

    expect(firing(observations)).toEqual([
      'drift:eth', // |68 − 50| = 18 pp > the 5 pp band
      'drift:usdc', // |32 − 50| = 18 pp
      'asset:eth', // 62 % > 50 %
      'chain:1', // 85 % > 80 %
      'depeg:usdc', // |0.97 − 1| = 3 % > 2 %
      'move:down', // −12 % is down 12 % > 10 %
      'stale:w1', // 12:00 − 10:45 = 75 min > 60 min
      'gas:1|w1', // 0.004 ETH < 0.01 ETH (the Ethereum reserve)
    ]);
  });

  it('drift: the distance from target in pp against the plan band, clearing at 80 % of the band', () => {
    expect(pick(observeRules(figures, { drift: '5' }), 'drift')).toEqual([
      { subject: 'eth', value: '18', trigger: '5', clear: '4', direction: 'above' },
      { subject: 'usdc', value: '18', trigger: '5', clear: '4', direction: 'above' },
    ]);
  });

  it('asset: non-stable assets only (USDC at 29.1 % is never a concentration), trigger 50 clears at 48', () => {
    expect(pick(observeRules(figures, { asset: '50' }), 'asset')).toEqual([
      { subject: 'eth', value: '62', trigger: '50', clear: '48', direction: 'above' },
      { subject: 'uni', value: '8.9', trigger: '50', clear: '48', direction: 'above' },
    ]);
  });

  it('sector: skips stablecoins and sectors of one asset while the asset rule is on; without it, l1 62 % fires', () => {
    expect(pick(observeRules(figures, { sector: '50', asset: '50' }), 'sector')).toEqual([]);
    expect(pick(observeRules(figures, { sector: '60' }), 'sector')).toEqual([
      { subject: 'l1', value: '62', trigger: '60', clear: '58', direction: 'above' },
      { subject: 'defi', value: '8.9', trigger: '60', clear: '58', direction: 'above' },
    ]);
  });

  it('chain: the diversification chain shares, 85 % against 80 %', () => {
    expect(pick(observeRules(figures, { chain: '80' }), 'chain')).toEqual([
      { subject: '1', value: '85', trigger: '80', clear: '78', direction: 'above' },
      { subject: '8453', value: '15', trigger: '80', clear: '78', direction: 'above' },
    ]);
  });

  it('depeg: a stablecoin at $0.97 is 3 % off; the clear level is 75 % of the trigger', () => {
    expect(pick(observeRules(figures, { depeg: '2' }), 'depeg')).toEqual([
      { subject: 'usdc', value: '3', trigger: '2', clear: '1.5', direction: 'above' },
    ]);
    expect(firing(observeRules(figures, { depeg: '3' }))).toEqual([]);
  });

  it('move: the 24 h price change of /portfolio, down and up as two subjects', () => {
    expect(pick(observeRules(figures, { move: '10' }), 'move')).toEqual([
      { subject: 'down', value: '12', trigger: '10', clear: '8', direction: 'above' },
      { subject: 'up', value: '-12', trigger: '10', clear: '8', direction: 'above' },
    ]);
    expect(observeRules({ ...figures, view: { ...view, change24h: undefined } }, { move: '10' })).toEqual([]);
    expect(inconclusiveRules({ ...figures, view: { ...view, change24h: undefined } })).toEqual(new Set(['move']));
    expect(inconclusiveRules(figures)).toEqual(new Set());
    // $500 of the $10,000 had no price 24 h ago: −12 % of the rest is not the portfolio's move.
    const partial = { ...view, change24h: { ...view.change24h!, coveredValueUsd: '9500' } };
    expect(observeRules({ ...figures, view: partial }, { move: '10' })).toEqual([]);
    expect(inconclusiveRules({ ...figures, view: partial })).toEqual(new Set(['move']));
  });

  it('stale: minutes since each wallet last synced; half the threshold clears', () => {
    expect(pick(observeRules(figures, { stale: '60' }), 'stale')).toEqual([
      { subject: 'w1', value: '75', trigger: '60', clear: '30', direction: 'above' },
      { subject: 'w2', value: '10', trigger: '60', clear: '30', direction: 'above' },
    ]);
  });

  it('gas: the native balance below the share of the chain reserve, from the diversification flags at the clear level', () => {
    expect(gasFlagShare({ gas: '100' })).toBe('1.25');
    expect(pick(observeRules(figures, { gas: '100' }), 'gas')).toEqual([
      { subject: '1|w1', value: '0.004', trigger: '0.01', clear: '0.0125', direction: 'below' },
      // Base reserve 0.002 ETH: 0.0021 is between the trigger (0.002) and the clear level (0.0025): no alert.
      { subject: '8453|w2', value: '0.0021', trigger: '0.002', clear: '0.0025', direction: 'below' },
    ]);
    expect(firing(observeRules(figures, { gas: '100' }))).toEqual(['gas:1|w1']);
  });

  it('a rule without a threshold (switched off) observes nothing', () => {
    expect(observeRules(figures, {})).toEqual([]);
  });
});

describe('thresholds', () => {
  it('steps through each rule’s values and snaps a typed value to its neighbour', () => {
    expect(stepThreshold('asset', '50', 1)).toBe('60');
    expect(stepThreshold('asset', '50', -1)).toBe('40');
    expect(stepThreshold('asset', '55', -1)).toBe('50');
    expect(stepThreshold('asset', '90', 1)).toBe('90');
    expect(stepThreshold('drift', '5', 1)).toBe('7.5');
  });

  it('allows values from the first to the last step', () => {
    expect(isThresholdAllowed('depeg', '0.5')).toBe(true);
    expect(isThresholdAllowed('depeg', '0.4')).toBe(false);
    expect(isThresholdAllowed('stale', '720')).toBe(true);
    expect(isThresholdAllowed('stale', '721')).toBe(false);
  });
});

describe('the diversification gas flag at a share of the reserve', () => {
  const holding = (tokenAddress: string, balance: string, priceUsd: string): Holding => ({
    userId: '7',
    walletId: 'w1',
    walletAddress: '0xabc',
    chainIndex: '1',
    tokenAddress,
    symbol: tokenAddress === '' ? 'ETH' : 'USDC',
    balance,
    priceUsd,
    isRiskToken: false,
    assetId: tokenAddress === '' ? 'eth' : 'usdc',
    sector: tokenAddress === '' ? 'l1' : 'stablecoin',
    syncedAt: NOW.toISOString(),
  });
  const holdings = [holding('', '0.012', '3000'), holding('0xa0b8', '500', '1')];

  it('flags 0.012 ETH at 1.25 × the 0.01 reserve (0.0125), and not at the reserve itself', () => {
    const gasFlags = (share?: string) =>
      analyseDiversification(holdings, share ? { gasReserveShare: share } : {}).flags.filter(
        (flag) => flag.kind === 'low-gas-reserve',
      );
    expect(gasFlags('1.25')).toEqual([
      expect.objectContaining({ kind: 'low-gas-reserve', subject: '1', threshold: '0.0125', nativeBalance: '0.012' }),
    ]);
    expect(gasFlags()).toEqual([]);
  });
});

function asset(
  assetId: string,
  symbol: string,
  sector: PortfolioView['assets'][number]['sector'],
  valueUsd: string,
  share: string,
  priceUsd: string,
  chains: string[],
): PortfolioView['assets'][number] {
  return { assetId, symbol, sector, quantity: '1', valueUsd, share, priceUsd, chains, tokens: [] };
}
