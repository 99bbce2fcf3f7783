import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { TABLE_DEFINITIONS, type TableDefinition, type TableNames } from './table-definitions';

export interface EnsureTablesReport {
  readonly created: string[];
  readonly existing: string[];
  readonly ttlEnabled: string[];
}

/** Creates missing tables and TTL settings from the shared definitions; a second run changes nothing. */
export interface EnsureTablesOptions {
  /**
   * Turn on each table's TTL attribute (default true). Tests that run a faked clock in the past turn it off: DynamoDB
   * Local's sweeper reads the real clock and would delete their items at random, mid-test.
   */
  readonly enableTtl?: boolean;
}

export async function ensureTables(
  client: DynamoDBClient,
  names: TableNames,
  options: EnsureTablesOptions = {},
): Promise<EnsureTablesReport> {
  const report: EnsureTablesReport = { created: [], existing: [], ttlEnabled: [] };
  for (const definition of TABLE_DEFINITIONS) {
    const tableName = names[definition.name];
    if (await tableExists(client, tableName)) {
      report.existing.push(tableName);
    } else {
      await client.send(new CreateTableCommand(toCreateTableInput(definition, tableName)));
      await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
      report.created.push(tableName);
    }
    if (
      options.enableTtl !== false &&
      definition.ttlAttribute &&
      (await enableTtl(client, tableName, definition.ttlAttribute))
    )
      report.ttlEnabled.push(tableName);
  }
  return report;
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string, attribute: string): Promise<boolean> {
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = current.TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return false;
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: attribute, Enabled: true },
    }),
  );
  return true;
}

export function toCreateTableInput(definition: TableDefinition, tableName: string) {
  const keyAttributes = new Set<string>([definition.partitionKey, definition.sortKey]);
  for (const index of definition.globalSecondaryIndexes) {
    keyAttributes.add(index.partitionKey);
    keyAttributes.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [...keyAttributes].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: definition.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: definition.sortKey, KeyType: 'RANGE' as const },
    ],
    ...(definition.globalSecondaryIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
              { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
            ],
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}
