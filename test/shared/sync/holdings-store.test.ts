import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHoldingsStore, type HoldingsStore, type StoredHolding } from '../../../shared/sync/holdings-store';
import { createTestDynamo } from '../../support/dynamo';

let store: HoldingsStore;
let doc: DynamoDBDocumentClient;
let tableName: string;

beforeAll(async () => {
  const db = await createTestDynamo();
  doc = db.doc;
  tableName = db.tables.holdings;
  store = createHoldingsStore(db.doc, db.tables.holdings);
});

/** Names of the commands the document client sends while `act` runs. */
async function commandsDuring(act: () => Promise<unknown>): Promise<string[]> {
  const sent: string[] = [];
  const name = `count-${Math.random()}`;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await act();
  } finally {
    doc.middlewareStack.remove(name);
  }
  return sent;
}

const byKey = (items: StoredHolding[]) =>
  [...items].sort((a, b) =>
    `${a.walletId}#${a.chainIndex}#${a.tokenAddress}`.localeCompare(`${b.walletId}#${b.chainIndex}#${b.tokenAddress}`),
  );

const holding = (
  userId: string,
  chainIndex: string,
  tokenAddress: string,
  balance: string,
  extra: Partial<StoredHolding> = {},
): StoredHolding => ({
  userId,
  walletId: 'w1',
  walletAddress: '0xabc',
  chainIndex,
  tokenAddress,
  symbol: tokenAddress === '' ? 'ETH' : 'TKN',
  decimals: 18,
  balance,
  priceUsd: '3000.5',
  isRiskToken: false,
  assetId: tokenAddress === '' ? 'eth' : `${chainIndex}:${tokenAddress}`,
  sector: 'l1',
  ...extra,
});

const update = (
  userId: string,
  holdings: StoredHolding[],
  answeredChains: string[],
  failedChains: string[] = [],
  at = '2036-11-24T10:00:00.000Z',
) => ({
  userId,
  walletId: 'w1',
  answeredChains,
  failedChains,
  holdings,
  at,
});

const strip = (items: StoredHolding[]) => items.map(({ createdAt: _createdAt, ...rest }) => rest);
/** A fresh holding is stored without its price (it lives in the price store); a stale one keeps its last price. */
const asStored = (item: StoredHolding): StoredHolding =>
  item.staleSince === undefined ? { ...item, priceUsd: undefined } : item;

describe('holdings store', () => {
  it('round-trips 78-digit raw amounts and 18-decimal dust exactly as strings', async () => {
    const raw = '1'.repeat(78);
    const fresh = [holding('u1', '1', '', '0.000000000000000001', { rawBalance: raw })];

    await store.replaceWalletHoldings(update('u1', fresh, ['1']), []);

    const [stored] = await store.listHoldings('u1');
    expect(stored?.rawBalance).toBe(raw);
    expect(stored?.balance).toBe('0.000000000000000001');
  });

  it('writes nothing when the same data is synced twice', async () => {
    const fresh = [holding('u2', '1', '', '1.5'), holding('u2', '8453', '0xusdc', '10')];
    const first = await store.replaceWalletHoldings(update('u2', fresh, ['1', '8453']), []);

    const second = await store.replaceWalletHoldings(
      update('u2', fresh, ['1', '8453'], [], '2036-11-24T10:10:00.000Z'),
      await store.listHoldings('u2'),
    );

    expect(first).toBe(2);
    expect(second).toBe(0);
  });

  it('keeps the last good holdings of a failed chain and marks them stale since the failure', async () => {
    await store.replaceWalletHoldings(
      update('u3', [holding('u3', '1', '', '2'), holding('u3', '8453', '', '3')], ['1', '8453']),
      [],
    );

    const written = await store.replaceWalletHoldings(
      update('u3', [holding('u3', '1', '', '2.5')], ['1'], ['8453'], '2036-11-24T10:10:00.000Z'),
      await store.listHoldings('u3'),
    );

    const after = await store.listHoldings('u3');
    expect(written).toBe(2);
    expect(after.find((h) => h.chainIndex === '1')).toMatchObject({ balance: '2.5' });
    expect(after.find((h) => h.chainIndex === '1')?.staleSince).toBeUndefined();
    expect(after.find((h) => h.chainIndex === '8453')).toMatchObject({
      balance: '3',
      staleSince: '2036-11-24T10:10:00.000Z',
    });
  });

  it('keeps the first failure time when a chain fails again, and clears it when the chain answers', async () => {
    await store.replaceWalletHoldings(update('u4', [holding('u4', '1', '', '1')], ['1']), []);
    await store.replaceWalletHoldings(
      update('u4', [], [], ['1'], '2036-11-24T10:10:00.000Z'),
      await store.listHoldings('u4'),
    );

    const again = await store.replaceWalletHoldings(
      update('u4', [], [], ['1'], '2036-11-24T10:20:00.000Z'),
      await store.listHoldings('u4'),
    );
    expect(again).toBe(0);
    expect((await store.listHoldings('u4'))[0]?.staleSince).toBe('2036-11-24T10:10:00.000Z');

    await store.replaceWalletHoldings(
      update('u4', [holding('u4', '1', '', '1')], ['1'], [], '2036-11-24T10:30:00.000Z'),
      await store.listHoldings('u4'),
    );
    expect((await store.listHoldings('u4'))[0]?.staleSince).toBeUndefined();
  });

  it('deletes tokens that disappeared from a chain that answered', async () => {
    await store.replaceWalletHoldings(
      update('u5', [holding('u5', '1', '', '1'), holding('u5', '1', '0xgone', '5')], ['1']),
      [],
    );

    await store.replaceWalletHoldings(
      update('u5', [holding('u5', '1', '', '1')], ['1']),
      await store.listHoldings('u5'),
    );

    expect(strip(await store.listHoldings('u5'))).toEqual([asStored(holding('u5', '1', '', '1'))]);
  });

  it('writes wallets with more than 100 holdings in chunks and deletes them all on removal', async () => {
    const many = Array.from({ length: 130 }, (_, index) =>
      holding('u6', '1', `0x${index.toString(16).padStart(4, '0')}`, `${index}.25`),
    );

    const written = await store.replaceWalletHoldings(update('u6', many, ['1']), []);
    const existing = await store.listHoldings('u6');
    const deleted = await store.deleteWalletHoldings('u6', 'w1', existing);

    expect(written).toBe(130);
    expect(existing).toHaveLength(130);
    expect(deleted).toBe(130);
    expect(await store.listHoldings('u6')).toEqual([]);
  });
  it('writes several wallets in one transaction and returns exactly the holdings a re-read finds', async () => {
    const other = (holding: StoredHolding): StoredHolding => ({ ...holding, walletId: 'w2', walletAddress: '0xdef' });
    await store.replaceHoldings(
      [
        update(
          'u7',
          [holding('u7', '1', '', '1'), holding('u7', '8453', '', '2'), holding('u7', '1', '0xgone', '3')],
          ['1', '8453'],
        ),
        { ...update('u7', [other(holding('u7', '1', '', '4'))], ['1']), walletId: 'w2' },
      ],
      [],
    );
    const existing = await store.listHoldings('u7');
    const later = '2036-11-24T10:10:00.000Z';

    let replaced: Awaited<ReturnType<HoldingsStore['replaceHoldings']>> | undefined;
    const sent = await commandsDuring(async () => {
      replaced = await store.replaceHoldings(
        [
          update('u7', [holding('u7', '1', '', '1.5')], ['1'], ['8453'], later),
          { ...update('u7', [other(holding('u7', '1', '', '4'))], ['1'], [], later), walletId: 'w2' },
        ],
        existing,
      );
    });

    expect(sent).toEqual(['TransactWriteItemsCommand']);
    // ETH changed, 0xgone deleted, Base marked stale; w2 is unchanged and not rewritten.
    expect(replaced!.written).toBe(3);
    expect(byKey(replaced!.holdings.map(asStored))).toEqual(byKey(await store.listHoldings('u7')));
    expect(replaced!.holdings.find((item) => item.chainIndex === '8453')?.staleSince).toBe(later);
  });

  it('does not rewrite a holding whose price moved while its balance stayed, and stores no price on it', async () => {
    const first = [
      holding('u9', '1', '', '1.5', { priceUsd: '3000.5' }),
      holding('u9', '1', '0xusdc', '10', { priceUsd: '1' }),
    ];
    await store.replaceWalletHoldings(update('u9', first, ['1']), []);
    const moved = [
      holding('u9', '1', '', '1.5', { priceUsd: '3100' }),
      holding('u9', '1', '0xusdc', '10', { priceUsd: '0.9999' }),
    ];

    let replaced: Awaited<ReturnType<HoldingsStore['replaceHoldings']>> | undefined;
    const sent = await commandsDuring(async () => {
      replaced = await store.replaceHoldings(
        [update('u9', moved, ['1'], [], '2036-11-24T10:10:00.000Z')],
        await store.listHoldings('u9'),
      );
    });

    // Every price moved, no balance did: nothing is written, and the holdings come back at the new prices.
    expect(sent).toEqual(['QueryCommand']);
    expect(replaced!.written).toBe(0);
    expect(replaced!.holdings.map((item) => item.priceUsd).sort()).toEqual(['0.9999', '3100']);
    expect((await store.listHoldings('u9')).map((item) => item.priceUsd)).toEqual([undefined, undefined]);
  });

  it('keeps on a holding that turns stale the price it had, and reads it back', async () => {
    await store.replaceWalletHoldings(update('u10', [holding('u10', '8453', '', '3')], ['8453']), []);
    // The sync prices the existing holdings before a failed chain turns them stale.
    const priced = (await store.listHoldings('u10')).map((item) => ({ ...item, priceUsd: '2999.75' }));

    await store.replaceWalletHoldings(update('u10', [], [], ['8453'], '2036-11-24T10:10:00.000Z'), priced);

    expect(await store.listHoldings('u10')).toEqual([
      expect.objectContaining({ balance: '3', staleSince: '2036-11-24T10:10:00.000Z', priceUsd: '2999.75' }),
    ]);
  });

  it('writes the alongside items in the holdings transaction, leaving out a refused one and those that depend on it', async () => {
    const key = (sk: string) => ({ pk: 'user#u11', sk });
    const put = (sk: string, condition?: string) => ({
      Put: {
        TableName: tableName,
        Item: { ...key(sk), entity: 'test' },
        ...(condition ? { ConditionExpression: condition } : {}),
      },
    });
    await store.replaceWalletHoldings(update('u11', [holding('u11', '1', '', '1')], ['1']), []);
    await doc.send(new PutCommand({ TableName: tableName, Item: { ...key('marker#taken'), entity: 'test' } }));
    const plan = store.planHoldings(
      [update('u11', [holding('u11', '1', '', '2')], ['1'], [], '2036-11-24T10:10:00.000Z')],
      await store.listHoldings('u11'),
    );

    let result: Awaited<ReturnType<HoldingsStore['writeHoldings']>> | undefined;
    const sent = await commandsDuring(async () => {
      result = await store.writeHoldings(plan, [
        { item: put('marker#taken', 'attribute_not_exists(pk)') },
        { item: put('marker#after-taken'), dependsOn: 0 },
        { item: put('marker#free', 'attribute_not_exists(pk)') },
      ]);
    });

    // First try refused by item 0 (cancelling all), second try without items 0 and 1: two transactions.
    expect(sent).toEqual(['TransactWriteItemsCommand', 'TransactWriteItemsCommand']);
    expect(result).toEqual({ written: 1, refused: new Set([0, 1]) });
    expect((await store.listHoldings('u11'))[0]?.balance).toBe('2');
    expect((await doc.send(new GetCommand({ TableName: tableName, Key: key('marker#free') }))).Item).toBeDefined();
    expect(
      (await doc.send(new GetCommand({ TableName: tableName, Key: key('marker#after-taken') }))).Item,
    ).toBeUndefined();
  });

  it('keeps the creation time of a holding whose balance changed', async () => {
    await store.replaceWalletHoldings(update('u8', [holding('u8', '1', '', '1')], ['1']), []);
    await store.replaceWalletHoldings(
      update('u8', [holding('u8', '1', '', '2')], ['1'], [], '2036-11-24T10:10:00.000Z'),
      await store.listHoldings('u8'),
    );

    const [stored] = await store.listHoldings('u8');

    expect(stored).toMatchObject({ balance: '2', createdAt: '2036-11-24T10:00:00.000Z' });
  });
});
