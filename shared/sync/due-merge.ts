import { DUE_SHARD_NUMBERS, type DueIndexStore, type DueUser } from './due-index-store';

interface ShardCursor {
  readonly shard: number;
  buffer: DueUser[];
  cursor?: string;
  exhausted: boolean;
}

export interface DueMerge {
  /** The next user with the oldest `lastSyncedAt` across all shards, or undefined when none is left. */
  next(): Promise<DueUser | undefined>;
  /** Users not yet returned by `next` (bounded count; `capped` when the bound hit). */
  countRemaining(): Promise<{ count: number; capped: boolean }>;
}

/**
 * K-way merge of the write-sharded due index: each shard is read page by page in sort-key order
 * (`<lastSyncedAt>#<userId>`), and the smallest head wins, so the globally stalest user comes first.
 */
export function createDueMerge(
  store: Pick<DueIndexStore, 'listDueUsers' | 'countDueUsers'>,
  syncedBefore: string,
  pageSize: number,
): DueMerge {
  const shards: ShardCursor[] = DUE_SHARD_NUMBERS.map((shard) => ({ shard, buffer: [], exhausted: false }));

  const fill = async (shard: ShardCursor) => {
    if (shard.buffer.length > 0 || shard.exhausted) return;
    const page = await store.listDueUsers(shard.shard, { limit: pageSize, cursor: shard.cursor, syncedBefore });
    shard.buffer = [...page.users];
    shard.cursor = page.cursor;
    shard.exhausted = page.cursor === undefined;
  };

  return {
    async next() {
      // A page can come back empty while the cursor continues (DynamoDB paging): keep filling until settled.
      while (shards.some((shard) => shard.buffer.length === 0 && !shard.exhausted)) await Promise.all(shards.map(fill));
      let best: ShardCursor | undefined;
      for (const shard of shards) {
        const head = shard.buffer[0];
        if (head && (!best || head.dueKey < best.buffer[0]!.dueKey)) best = shard;
      }
      return best?.buffer.shift();
    },
    async countRemaining() {
      const counts = await Promise.all(
        shards.map(async (shard) => {
          const rest = shard.exhausted
            ? { count: 0, capped: false }
            : await store.countDueUsers(shard.shard, { cursor: shard.cursor, syncedBefore });
          return { count: rest.count + shard.buffer.length, capped: rest.capped };
        }),
      );
      return {
        count: counts.reduce((sum, entry) => sum + entry.count, 0),
        capped: counts.some((entry) => entry.capped),
      };
    },
  };
}
