import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDynamoDocumentClient } from '../../shared/platform/dynamo/dynamo-client';
import { ensureTables } from '../../shared/platform/dynamo/ensure-tables';
import { localTableNames, tableEnv, type TableNames } from '../../shared/platform/dynamo/table-definitions';

export interface TestDynamo {
  readonly endpoint: string;
  readonly tables: TableNames;
  readonly doc: DynamoDBDocumentClient;
  /** Env variables that point handlers at this engine and these tables. */
  readonly env: Record<string, string>;
}

/** Creates a fresh, uniquely prefixed set of tables in the shared DynamoDB Local engine. */
export async function createTestDynamo(): Promise<TestDynamo> {
  const endpoint = inject('dynamoEndpoint');
  const tables = localTableNames(`t${randomUUID().slice(0, 8)}`);
  const raw = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // No TTL here: many tests run a faked clock weeks behind the real one, and DynamoDB Local's sweeper (real clock)
  // would delete their items at random, as it did to a replayed month's first point.
  await ensureTables(raw, tables, { enableTtl: false });
  raw.destroy();
  const doc = createDynamoDocumentClient({ endpoint });
  return { endpoint, tables, doc, env: { DYNAMODB_ENDPOINT: endpoint, ...tableEnv(tables) } };
}
