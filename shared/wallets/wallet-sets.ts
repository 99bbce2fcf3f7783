/**
 * The user item's derived wallet attributes are string sets changed only with `ADD`/`DELETE`, never
 * rewritten whole, so two concurrent wallet edits cannot drop each other's entry:
 * - `walletAddresses`: the tracked addresses (a per-address marker item keeps them unique per user);
 * - `walletChains`: one `<address>=<chains tracked>` entry per address, read by the fan-out budget.
 * Items written before sets were used hold a list and a map; both forms are read.
 */
export function chainEntry(address: string, chains: number): string {
  return `${address}=${chains}`;
}

export function readAddresses(value: unknown): string[] {
  if (value instanceof Set) return [...(value as Set<string>)].sort();
  return Array.isArray(value) ? (value as string[]) : [];
}

export function readChainCounts(value: unknown): Record<string, number> | undefined {
  if (value instanceof Set) {
    const counts: Record<string, number> = {};
    for (const entry of value as Set<string>) {
      const cut = entry.lastIndexOf('=');
      const address = entry.slice(0, cut);
      counts[address] = Math.max(counts[address] ?? 0, Number(entry.slice(cut + 1)));
    }
    return counts;
  }
  return value && typeof value === 'object' ? (value as Record<string, number>) : undefined;
}

/** A user item from before the sets: `walletAddresses` a list or `walletChains` a map. */
export function isLegacyUserItem(item: Record<string, unknown>): boolean {
  const { walletAddresses, walletChains } = item;
  return Array.isArray(walletAddresses) || (walletChains !== undefined && !(walletChains instanceof Set));
}
