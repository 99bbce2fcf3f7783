import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import type { StoredHolding } from '../../shared/sync/holdings-store';
import type { SnapshotStore } from '../../shared/sync/snapshot-store';
import { createOkxClient } from '../../shared/platform/okx/okx-client';
import type { SnapshotPoint } from '../../shared/kernel/types';
import { backfillHistory } from '../../shared/sync/backfill-history';
import { createMemoryLogger } from '../support/memory-logger';

const NOW = Date.parse('2026-11-24T10:05:00.000Z');
const FIRST_SLOT = '2026-11-24T10:00:00.000Z';

const native = (
  chainIndex: string,
  assetId: string,
  walletAddress: string,
  balance: string,
  priceUsd: string,
): StoredHolding => ({
  userId: 'u1',
  walletId: `w-${chainIndex}`,
  walletAddress,
  chainIndex,
  tokenAddress: '',
  symbol: assetId.toUpperCase(),
  balance,
  priceUsd,
  isRiskToken: false,
  assetId,
  sector: 'l1',
});

describe('history back-fill of native coins against the OKX sandbox over HTTP (issue 9, defect 1)', () => {
  let sandbox: OkxSandbox;
  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 5, now: () => NOW, rateLimitPerSecond: 1000 });
  });
  afterAll(() => sandbox.stop());

  it('fetches history for ETH, BNB, POL, AVAX and SOL, so none is missing from the estimated chart', async () => {
    const okx = createOkxClient({
      baseUrl: sandbox.url,
      credentials: sandbox.credentials,
      ratePerSecond: 200,
      burst: 20,
      maxRetries: 0,
      timeoutMs: 2000,
      now: () => NOW,
    });
    const evm = '0x1111111111111111111111111111111111111111';
    const holdings = [
      native('1', 'eth', evm, '2', '3120.55'),
      native('56', 'bnb', evm, '3', '590.12'),
      native('137', 'pol', evm, '1000', '0.4512'),
      native('43114', 'avax', evm, '10', '28.41'),
      native('501', 'sol', 'GfVnX4sWbkQkM1YxqkUdAgjxPrtCPkhnZSZQ6s8vq2Xq', '5', '150.25'),
    ];
    const written: SnapshotPoint[] = [];
    const snapshots: SnapshotStore = {
      putSnapshot: async () => true,
      listSnapshots: async () => [],
      latestSnapshotAtOrBefore: async () => undefined,
      putBackfill: async (_userId, _resolution, points) => {
        written.push(...points);
        return points.length;
      },
    };
    const logged = createMemoryLogger();

    const result = await backfillHistory({ market: okx, snapshots, logger: logged }, 'u1', holdings, FIRST_SLOT);

    // On the old client every EVM native went out with tokenContractAddress="" (50014) and was silently missing.
    expect(result.failures).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(logged.lines).toEqual([]);
    expect(written.length).toBeGreaterThan(0);
  });

  it('names the assets it could not back-fill and why, in the result and one log line, without failing', async () => {
    const okx = createOkxClient({
      baseUrl: sandbox.url,
      credentials: sandbox.credentials,
      ratePerSecond: 200,
      burst: 20,
      maxRetries: 0,
      timeoutMs: 2000,
      now: () => NOW,
    });
    const snapshots: SnapshotStore = {
      putSnapshot: async () => true,
      listSnapshots: async () => [],
      latestSnapshotAtOrBefore: async () => undefined,
      putBackfill: async (_u, _r, points) => points.length,
    };
    const logged = createMemoryLogger();
    // Chain 424242 is unknown to OKX: the candles call is answered 50038.
    const holdings = [
      native('1', 'eth', '0x1111111111111111111111111111111111111111', '1', '3120.55'),
      native('424242', 'zzz', '0x2222222222222222222222222222222222222222', '1', '5000'),
    ];

    const result = await backfillHistory({ market: okx, snapshots, logger: logged }, 'u1', holdings, FIRST_SLOT);

    expect(result.missing).toEqual(['zzz']);
    expect(result.failures).toEqual([
      { assetId: 'zzz', chainIndex: '424242', tokenAddress: '', reason: 'OkxApiError 50038' },
    ]);
    expect(logged.entries()).toEqual([
      { level: 'WARN', message: 'history back-fill left assets out', userId: 'u1', failures: result.failures },
    ]);
  });
});
