import type { FaultSpec } from './faults';

type Row = Record<string, unknown>;

/** The field an answer fault rewrites, and how: the balance endpoints' rows and the market price rows. */
const REWRITES = {
  negativeBalance: { fields: ['balance'], rewrite: (value: string) => `-${value}` },
  hugeBalance: { fields: ['balance'], rewrite: () => '1e+30' },
  negativePrice: { fields: ['tokenPrice', 'price'], rewrite: (value: string) => `-${value}` },
} as const;

/**
 * A well-formed answer made implausible: `emptyData` answers `data: []`; the others rewrite one field of
 * the first row (depth first) that has it non-empty, on one of `fault.chains` when given. The route's data
 * is copied first, so the world is never changed.
 */
export function distortAnswer(fault: FaultSpec, data: unknown): unknown {
  if (fault.kind === 'emptyData') return [];
  const plan = REWRITES[fault.kind as keyof typeof REWRITES];
  if (!plan) return data;
  const copy = structuredClone(data);
  const row = findRow(
    copy,
    (candidate) => plan.fields.some((field) => isFilled(candidate[field])) && onChains(candidate, fault.chains),
  );
  const field = row && plan.fields.find((name) => isFilled(row[name]));
  if (row && field) row[field] = plan.rewrite(row[field] as string);
  return copy;
}

function isFilled(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && !/^0*\.?0*$/.test(value);
}

function onChains(row: Row, chains: readonly string[] | undefined): boolean {
  return chains === undefined || chains.includes(String(row.chainIndex));
}

function findRow(value: unknown, wanted: (row: Row) => boolean): Row | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findRow(item, wanted);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const row = value as Row;
  if (wanted(row)) return row;
  return findRow(
    Object.values(row).filter((child) => typeof child === 'object'),
    wanted,
  );
}
