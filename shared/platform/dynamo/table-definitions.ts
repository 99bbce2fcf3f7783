import { ENV, requireEnv } from '../config/env-names';

/**
 * One definition of every table for both worlds: the CDK stack builds them from this module and
 * `npm run db:init` creates them in DynamoDB Local from it. Keys are generic `pk`/`sk` strings.
 */
export interface TableDefinition {
  /** Stable CDK logical id: changing it would replace the table in AWS. */
  readonly logicalId: string;
  /** Short name used in code and as the local table name suffix. */
  readonly name: TableName;
  /** Env variable that carries the physical table name into the functions. */
  readonly envName: string;
  readonly partitionKey: 'pk';
  readonly sortKey: 'sk';
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /** Epoch-seconds attribute after which DynamoDB deletes the item; undefined when items live forever. */
  readonly ttlAttribute?: string;
  readonly purpose: string;
}

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export type TableName = 'portfolios' | 'holdings' | 'prices' | 'snapshots' | 'sessions';

export const TTL_ATTRIBUTE = 'ttl';

export const TABLE_DEFINITIONS: readonly TableDefinition[] = [
  {
    logicalId: 'PortfoliosTable',
    name: 'portfolios',
    envName: ENV.portfoliosTable,
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
    purpose:
      'users, wallets, target allocations, settings and per-user sync state (gsi1: write-sharded "due for sync" index)',
  },
  {
    logicalId: 'HoldingsTable',
    name: 'holdings',
    envName: ENV.holdingsTable,
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [],
    purpose: 'token balances per user x wallet x chain x token with raw amount, decimals and staleness',
  },
  {
    logicalId: 'PricesTable',
    name: 'prices',
    envName: ENV.pricesTable,
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [],
    ttlAttribute: TTL_ATTRIBUTE,
    purpose: 'USD prices used by each sync slot and back-filled candles, per chain + token',
  },
  {
    logicalId: 'SnapshotsTable',
    name: 'snapshots',
    envName: ENV.snapshotsTable,
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [],
    ttlAttribute: TTL_ATTRIBUTE,
    purpose: 'portfolio snapshots per 10-minute slot with hourly and daily rollups',
  },
  {
    logicalId: 'SessionsTable',
    name: 'sessions',
    envName: ENV.sessionsTable,
    partitionKey: 'pk',
    sortKey: 'sk',
    globalSecondaryIndexes: [],
    ttlAttribute: TTL_ATTRIBUTE,
    purpose:
      'processed Telegram updates, rebalance plans, conversation state, sync locks, cycle claims, rate limits, alert settings, open alert episodes and daily alert counts',
  },
];

export type TableNames = Record<TableName, string>;

/** Reads the physical table names from the environment (set by CDK in AWS, by the local runner locally). */
export function readTableNames(env: Record<string, string | undefined> = process.env): TableNames {
  const entries = TABLE_DEFINITIONS.map((table) => [table.name, requireEnv(table.envName, env)] as const);
  return Object.fromEntries(entries) as TableNames;
}

/** Local table names: a prefix per environment so tests can run side by side in one engine. */
export function localTableNames(prefix: string): TableNames {
  return Object.fromEntries(TABLE_DEFINITIONS.map((table) => [table.name, `${prefix}-${table.name}`])) as TableNames;
}

export function tableEnv(names: TableNames): Record<string, string> {
  return Object.fromEntries(TABLE_DEFINITIONS.map((table) => [table.envName, names[table.name]]));
}
