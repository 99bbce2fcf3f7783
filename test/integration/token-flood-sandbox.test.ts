import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { queryAll } from '../../shared/platform/dynamo/dynamo-ops';
import { createTestRuntime, type TestRuntime } from '../support/app-runtime';
import { createTestDynamo, type TestDynamo } from '../support/dynamo';
import { itemBytes } from '../support/item-size';

const BALANCES_PATH = '/api/v6/dex/balance/all-token-balances-by-address';
/** An airdrop-spammed address: 4,800 risk tokens without a price, 200 priced tokens, all on Ethereum. */
const FLOODED = '0x5ca1ab1e00000000000000000000000000000001';
const SPAM = 4800;
const PRICED = 200;
const tokenAddress = (i: number) => `0x${(0x7e57000 + i).toString(16).padStart(40, '0')}`;
/** DynamoDB refuses items over 400 KB. */
const ITEM_LIMIT = 400 * 1024;

describe('a 5,000-token wallet syncs end to end (sandbox over HTTP, DynamoDB Local)', () => {
  let sandbox: OkxSandbox;
  let db: TestDynamo;
  let runtime: TestRuntime;
  const clock = new Date('2036-11-24T10:01:00.000Z');

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 5, rateLimitPerSecond: 1000 });
    for (let i = 0; i < SPAM + PRICED; i += 1) {
      const priced = i < PRICED;
      sandbox.world.addToken({
        chainIndex: '1',
        tokenAddress: tokenAddress(i),
        symbol: priced ? `GOOD${i}` : `SPAM${i}`,
        decimals: 18,
        priceUsd: priced ? '2' : undefined,
        isRiskToken: !priced,
      });
      sandbox.world.setBalance({
        address: FLOODED,
        chainIndex: '1',
        tokenAddress: tokenAddress(i),
        balance: priced ? '10' : '1000000',
      });
    }
    db = await createTestDynamo();
    runtime = await createTestRuntime(
      { ...db.env, ...okxEnvOf(sandbox), OKX_RATE_LIMIT_PER_SECOND: '200', DRY_RUN_MODE: 'true' },
      { now: () => clock },
    );
  }, 60_000);
  afterAll(() => sandbox.stop());

  const itemsUnder = async (table: string, pk: string) =>
    queryAll(db.doc, {
      TableName: table,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
    });

  it('keeps every holding and an exact total, and no item near the 400 KB limit', async () => {
    await runtime.service.addWallet('flood-1', FLOODED, ['1']);

    const result = await runtime.service.syncBalances('flood-1');

    expect(result.failures).toEqual([]);
    expect(result.walletsSynced).toBe(1);
    const holdings = await runtime.service.listWallets('flood-1');
    // 200 priced tokens x 10 units x $2 = $4,000; the 4,800 unpriced risk tokens add nothing.
    expect(holdings[0]?.valueUsd).toBe('4000');
    const snapshot = await runtime.service.getLiveView('flood-1');
    expect(snapshot.totalValueUsd).toBe('4000');

    const cacheItems = await itemsUnder(db.tables.prices, `balances#${FLOODED}`);
    // 5,000 balances at 200 per page = 25 cache items (the head holds the page count).
    expect(cacheItems).toHaveLength(25);
    const snapshots = await itemsUnder(db.tables.snapshots, 'user#flood-1');
    const sizes = { cache: Math.max(...cacheItems.map(itemBytes)), snapshot: Math.max(...snapshots.map(itemBytes)) };
    console.log(
      `5,000-token wallet: largest balance-cache item ${sizes.cache} B, largest snapshot item ${sizes.snapshot} B`,
    );
    expect(sizes.cache).toBeLessThan(ITEM_LIMIT / 4);
    expect(sizes.snapshot).toBeLessThan(ITEM_LIMIT / 4);
  }, 180_000);

  it('serves a second user of the same address from the paged cache: all 5,000 balances, no OKX call', async () => {
    await runtime.service.addWallet('flood-2', FLOODED, ['1']);
    const calls = sandbox.stats.perPath[BALANCES_PATH] ?? 0;

    await runtime.service.syncBalances('flood-2');

    expect(sandbox.stats.perPath[BALANCES_PATH] ?? 0).toBe(calls);
    const stored = await runtime.service.listWallets('flood-2');
    expect(stored[0]?.valueUsd).toBe('4000');
    const holdings = await itemsUnder(db.tables.holdings, 'user#flood-2');
    expect(holdings).toHaveLength(SPAM + PRICED);
  }, 180_000);
});
