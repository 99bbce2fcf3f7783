import { describe, expect, it } from 'vitest';
import type { StoredHolding } from '../../../shared/sync/holdings-store';
import type { SnapshotResolution } from '../../../shared/platform/dynamo/keys';
import type { SnapshotStore } from '../../../shared/sync/snapshot-store';
import type { Candle } from '../../../shared/platform/okx/market-data-port';
import type { SnapshotPoint } from '../../../shared/kernel/types';
import { BACKFILL_MAX_ASSETS, backfillHistory } from '../../../shared/sync/backfill-history';
import { createFakeMarket } from '../../support/fake-market';
import { createMemoryLogger } from '../../support/memory-logger';

const FIRST_SLOT = '2026-11-24T10:00:00.000Z';

function recordingStore(): SnapshotStore & { written: Map<SnapshotResolution, SnapshotPoint[]> } {
  const written = new Map<SnapshotResolution, SnapshotPoint[]>();
  return {
    written,
    putSnapshot: async () => true,
    listSnapshots: async () => [],
    latestSnapshotAtOrBefore: async () => undefined,
    putBackfill: async (_userId, resolution, points) => {
      written.set(resolution, [...(written.get(resolution) ?? []), ...points]);
      return points.length;
    },
  };
}

const holding = (
  tokenAddress: string,
  assetId: string,
  balance: string,
  priceUsd: string | undefined,
  extra: Partial<StoredHolding> = {},
): StoredHolding => ({
  userId: 'u1',
  walletId: 'w1',
  walletAddress: '0xabc',
  chainIndex: '1',
  tokenAddress,
  symbol: assetId.toUpperCase(),
  balance,
  priceUsd,
  isRiskToken: false,
  assetId,
  sector: 'other',
  ...extra,
});

const candle = (time: string, close: string, isClosed = true): Candle => ({
  time,
  open: close,
  high: close,
  low: close,
  close,
  isClosed,
});

describe('history back-fill', () => {
  it("values today's quantities at past closes in hourly, 10-minute and daily buckets before the first slot", async () => {
    const market = createFakeMarket();
    market.candles.set('1:', [
      candle('2026-11-24T10:00:00.000Z', '9999', false),
      candle('2026-11-24T08:00:00.000Z', '1900'),
      candle('2026-11-20T00:00:00.000Z', '1500'),
    ]);
    const store = recordingStore();

    const result = await backfillHistory(
      { market, snapshots: store },
      'u1',
      [holding('', 'eth', '2', '2000')],
      FIRST_SLOT,
    );

    expect(result.missing).toEqual([]);
    expect(result.requests).toBe(2);
    expect(store.written.get('1h')!.map((point) => [point.slot, point.totalValueUsd, point.backfilled])).toEqual([
      ['2026-11-20T01:00:00.000Z', '3000', true],
      ['2026-11-24T09:00:00.000Z', '3800', true],
    ]);
    expect(store.written.get('10m')!.map((point) => point.slot)).toEqual(['2026-11-24T09:00:00.000Z']);
    expect(store.written.get('1d')!.map((point) => point.slot)).toEqual(['2026-11-21T00:00:00.000Z']);
    expect(result.written).toBe(4);
  });

  it('skips risk, stale and unpriced tokens and fetches the largest token of each asset', async () => {
    const market = createFakeMarket();
    const holdings = [
      holding('0xsmall', 'usdc', '1', '1'),
      holding('0xbig', 'usdc', '100', '1', { chainIndex: '42161' }),
      holding('0xscam', 'scam', '5', '10', { isRiskToken: true }),
      holding('0xold', 'old', '5', '10', { staleSince: FIRST_SLOT }),
      holding('0xnone', 'none', '5', undefined),
      holding('0xzero', 'zero', '0', '3'),
    ];

    const result = await backfillHistory({ market, snapshots: recordingStore() }, 'u1', holdings, FIRST_SLOT);

    expect(market.calls).toEqual(['candles:42161:0xbig:1H', 'candles:42161:0xbig:1Dutc']);
    expect(result.missing).toEqual(['usdc']);
    expect(result.written).toBe(0);
  });

  it('treats a failed candle request as no history, names each failed asset with the reason, and caps the assets it fetches', async () => {
    const market = createFakeMarket();
    market.getHistoricalCandles = async () => {
      throw Object.assign(new Error('OKX said: secret-ish text'), { name: 'OkxApiError', code: '50026' });
    };
    const logged = createMemoryLogger();
    const holdings = Array.from({ length: BACKFILL_MAX_ASSETS + 3 }, (_, index) =>
      holding(`0x${index}`, `a${index}`, '1', `${index + 1}`),
    );

    const result = await backfillHistory(
      { market, snapshots: recordingStore(), logger: logged },
      'u1',
      holdings,
      FIRST_SLOT,
    );

    expect(result.requests).toBe(BACKFILL_MAX_ASSETS * 2);
    expect(result.missing).toHaveLength(BACKFILL_MAX_ASSETS);
    expect(result.missing).not.toContain('a0');
    expect(result.failures[0]).toEqual({
      assetId: `a${BACKFILL_MAX_ASSETS + 2}`,
      chainIndex: '1',
      tokenAddress: `0x${BACKFILL_MAX_ASSETS + 2}`,
      reason: 'OkxApiError 50026',
    });
    expect(logged.lines).toHaveLength(1);
    expect(JSON.stringify(logged.lines)).not.toContain('secret-ish');
  });
});
