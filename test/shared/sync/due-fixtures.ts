import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dueShard } from '../../../shared/platform/dynamo/keys';
import { createPortfolioStore } from '../../../shared/wallets/portfolio-store';

/** `count` user ids that land in the given due shard (the shard is a hash of the id). */
export function userIdsInShard(shard: number, count: number, prefix = 'u'): string[] {
  const ids: string[] = [];
  for (let n = 0; ids.length < count; n += 1) if (dueShard(`${prefix}${n}`) === shard) ids.push(`${prefix}${n}`);
  return ids;
}

export const evmAddress = (n: number) => `0x${n.toString(16).padStart(40, '0')}`;

/**
 * Writes a user through the real portfolio store (which maintains the due index): one wallet per
 * address, then marks the user synced at `lastSyncedAt` unless it is undefined (never synced).
 */
export async function seedUser(
  doc: DynamoDBDocumentClient,
  portfoliosTable: string,
  userId: string,
  addresses: readonly string[],
  lastSyncedAt?: string,
): Promise<void> {
  const store = createPortfolioStore(doc, portfoliosTable);
  const walletIds: string[] = [];
  for (const [index, address] of addresses.entries()) {
    const walletId = `w${index}`;
    walletIds.push(walletId);
    await store.addWallet(
      { userId, walletId, address, family: 'evm', chains: ['1', '8453'], addedAt: '2030-01-01T00:00:00.000Z' },
      10,
    );
  }
  if (lastSyncedAt) await store.markSynced(userId, walletIds, lastSyncedAt);
}
