import { ensureTables } from '../shared/platform/dynamo/ensure-tables';
import { localTableNames, readTableNames, TABLE_DEFINITIONS } from '../shared/platform/dynamo/table-definitions';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV, optionalEnv } from '../shared/platform/config/env-names';
import { startDynamoLocal } from './dynamodb-local';
import { LOCAL_DB_PATH, LOCAL_TABLE_PREFIX } from './local/local-settings';

/**
 * `npm run db:init`: creates the tables idempotently. With DYNAMODB_ENDPOINT set it targets that
 * engine; otherwise it starts DynamoDB Local on the same on-disk store `npm start` uses.
 */
async function main(): Promise<void> {
  const configured = optionalEnv(ENV.dynamodbEndpoint);
  const local = configured ? undefined : await startDynamoLocal({ dbPath: LOCAL_DB_PATH });
  const endpoint = configured ?? local!.endpoint;
  const hasNames = TABLE_DEFINITIONS.every((table) => optionalEnv(table.envName));
  const names = hasNames ? readTableNames() : localTableNames(LOCAL_TABLE_PREFIX);
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const report = await ensureTables(client, names);
    console.log(
      `db:init on ${endpoint}: created [${report.created.join(', ')}], already there [${report.existing.join(', ')}]`,
    );
  } finally {
    client.destroy();
    await local?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`db:init failed: ${(error as Error).message}`);
  process.exit(1);
});
