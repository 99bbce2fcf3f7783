import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tablesOf } from './bench-setup';

export interface DynamoCalls {
  readonly total: number;
  /** e.g. "Query 6, PutItem 1" */
  readonly byCommand: string;
  /** Short table names, e.g. "snapshots 4, portfolios 1" */
  readonly byTable: string;
}

export interface DynamoTracker {
  reset(): void;
  snapshot(): DynamoCalls;
  /** Milliseconds since the last reset in which at least one request was in flight. */
  busyMs(): number;
}

/**
 * Counts a document client's requests by command and table (a middleware on the client, as the sync bench's
 * countCommands) and the time with a request in flight, so a breakdown can tell waiting on DynamoDB from work.
 */
export function trackDynamo(doc: DynamoDBDocumentClient): DynamoTracker {
  const commands = new Map<string, number>();
  const tables = new Map<string, number>();
  let inFlight = 0;
  let busySince = 0;
  let busy = 0;
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      bump(commands, String(context.commandName).replace(/Command$/, ''));
      for (const table of tablesOf(args.input)) bump(tables, table);
      if (inFlight++ === 0) busySince = performance.now();
      try {
        return await next(args);
      } finally {
        if (--inFlight === 0) busy += performance.now() - busySince;
      }
    },
    { step: 'initialize', name: 'reportBenchTracker' },
  );
  const describe = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${name} ${count}`)
      .join(', ');
  return {
    reset() {
      commands.clear();
      tables.clear();
      busy = 0;
      if (inFlight > 0) busySince = performance.now();
    },
    snapshot: () => ({
      total: [...commands.values()].reduce((sum, count) => sum + count, 0),
      byCommand: describe(commands),
      byTable: describe(tables),
    }),
    busyMs: () => busy + (inFlight > 0 ? performance.now() - busySince : 0),
  };
}
