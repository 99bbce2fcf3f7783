import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV, optionalEnv } from '../config/env-names';

export interface DynamoClientOptions {
  /** Local engine URL; unset in AWS so the SDK uses the regional endpoint. */
  readonly endpoint?: string;
  readonly region?: string;
}

/**
 * One document client per process. Numbers are never marshalled as `N` for money: stores write
 * amounts as strings, and `wrapNumbers` guards reads so a stray `N` can never become a lossy double.
 */
export function createDynamoDocumentClient(options: DynamoClientOptions = {}): DynamoDBDocumentClient {
  const endpoint = options.endpoint;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region ?? optionalEnv(ENV.awsRegion) ?? 'us-east-1',
    maxAttempts: 4,
    // DynamoDB Local accepts any credentials; real AWS uses the default provider chain.
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  // The SDK's logger middleware copies every response through its sensitive-data filter to hand it to the
  // client's logger, which is the SDK's no-op one here (we log through Powertools): ~2–5 ms of each 1-year
  // Report went into that copy. Removing it logs nothing less.
  client.middlewareStack.remove('loggerMiddleware');
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
    unmarshallOptions: { wrapNumbers: false },
  });
}

export function readDynamoClientOptions(env: Record<string, string | undefined> = process.env): DynamoClientOptions {
  return { endpoint: optionalEnv(ENV.dynamodbEndpoint, env), region: optionalEnv(ENV.awsRegion, env) };
}
