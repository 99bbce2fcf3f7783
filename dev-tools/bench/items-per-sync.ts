import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApp } from '../../shared/app/create-app';
import { createPortfolioStore } from '../../shared/wallets/portfolio-store';
import type { OkxSandbox } from '../okx-sandbox/index';

const SLOT_MS = 600_000;

/** Items one steady-state sync writes, by what they are. */
export interface ItemsPerSync {
  readonly tokens: number;
  /** Items counted on the wire (every Put/Update/Delete, every BatchWrite request, every transaction item). */
  readonly total: number;
  readonly byKind: Readonly<Record<string, number>>;
  /** What the sync itself reported (`SyncResult.itemsWritten`). */
  readonly reported: number;
}

/**
 * Steady state by tokens held: one user with one address holding N priced tokens on one chain syncs in a
 * slot, every non-stable price moves by `movePercent`, and the user syncs again in the next slot (no
 * balance changed). The second sync's writes are counted item by item from the document client's commands.
 */
export async function measureItemsPerSync(
  env: Record<string, string | undefined>,
  sandbox: OkxSandbox,
  tokenCounts: readonly number[],
  movePercent: number,
): Promise<ItemsPerSync[]> {
  // Far from the main cycle's slots, so nothing here meets its items.
  let nowMs = Math.ceil(Date.now() / SLOT_MS) * SLOT_MS + 100 * SLOT_MS + 1000;
  const app = createApp(env, { now: () => new Date(nowMs) });
  const { doc, tables } = await app.dynamo();
  const service = await app.portfolio();
  const counter = countWrittenItems(doc);
  const store = createPortfolioStore(doc, tables.portfolios);
  const results: ItemsPerSync[] = [];
  for (const count of tokenCounts) {
    const userId = `tokens${count}`;
    const address = `0x${(0xb0000000 + count).toString(16).padStart(40, '0')}`;
    for (let i = 0; i < count; i += 1) {
      const tokenAddress = `0x${(count * 100_000 + i + 1).toString(16).padStart(40, 'c')}`;
      sandbox.world.addToken({ chainIndex: '1', tokenAddress, symbol: `T${count}X${i}`, decimals: 18, priceUsd: '2' });
      sandbox.world.setBalance({ chainIndex: '1', tokenAddress, address, balance: '3' });
    }
    // Marked synced an hour ago, as the main cycle's users: no first-sync back-fill.
    const syncedAt = new Date(nowMs - 3_600_000).toISOString();
    await store.addWallet(
      { userId, walletId: 'w0', address, family: 'evm', chains: ['1'], addedAt: syncedAt, lastSyncedAt: syncedAt },
      10,
    );
    await store.markSynced(userId, ['w0'], syncedAt);
    await service.syncBalances(userId);
    await moveMarket(sandbox, movePercent);
    nowMs += SLOT_MS;
    counter.reset();
    const result = await service.syncBalances(userId);
    results.push({
      tokens: count,
      total: counter.total(),
      byKind: { ...counter.byKind },
      reported: result.itemsWritten,
    });
    nowMs += SLOT_MS;
  }
  return results;
}

async function moveMarket(sandbox: OkxSandbox, percent: number): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/move-market`, {
    method: 'POST',
    body: JSON.stringify({ percent: String(percent) }),
  });
  if (!response.ok) throw new Error(`move-market failed: ${response.status}`);
}

type Item = Record<string, unknown>;

/** Counts the items a document client writes, by kind (from the key's prefix). */
export function countWrittenItems(doc: DynamoDBDocumentClient) {
  const byKind: Record<string, number> = {};
  const add = (item: Item | undefined) => {
    const kind = kindOf(item ?? {});
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  };
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Item;
      // The input is already marshalled here (attribute values), and named after the low-level command.
      const name = String(context.commandName).replace(/Command$/, '');
      if (name === 'PutItem') add(input.Item as Item);
      if (name === 'UpdateItem' || name === 'DeleteItem') add(input.Key as Item);
      if (name === 'BatchWriteItem') {
        for (const requests of Object.values(input.RequestItems as Record<string, Item[]>)) {
          for (const request of requests)
            add(
              ((request.PutRequest as Item | undefined)?.Item ??
                (request.DeleteRequest as Item | undefined)?.Key) as Item,
            );
        }
      }
      if (name === 'TransactWriteItems') {
        for (const action of input.TransactItems as Item[]) {
          const [kind, inner] = Object.entries(action)[0] as [string, Item];
          if (kind !== 'ConditionCheck') add((inner.Item ?? inner.Key) as Item);
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'benchItemCounter' },
  );
  return {
    byKind,
    total: () => Object.values(byKind).reduce((sum, count) => sum + count, 0),
    reset: () => {
      for (const kind of Object.keys(byKind)) delete byKind[kind];
    },
  };
}

function kindOf(item: Item): string {
  const pk = textOf(item.pk);
  const sk = textOf(item.sk);
  if (sk.startsWith('holding#')) return 'holdings';
  if (pk.startsWith('price#')) return 'prices';
  if (pk.startsWith('balances#')) return 'balance cache';
  if (sk.startsWith('snap#')) return 'snapshots';
  if (sk.startsWith('wallet#') || sk === 'profile') return 'user and wallets';
  return 'other';
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  return String((value as { S?: string } | undefined)?.S ?? '');
}
