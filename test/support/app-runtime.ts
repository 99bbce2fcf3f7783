import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApp, type App, type AppOptions } from '../../shared/app/create-app';
import type { TableNames } from '../../shared/platform/dynamo/table-definitions';
import type { OkxClient } from '../../shared/platform/okx/okx-client';
import type { PortfolioServicePort } from '../../shared/portfolio/portfolio-service-port';

/** The app's portfolio parts, built: the real service over DynamoDB Local and the OKX client (sandbox or fake). */
export interface TestRuntime {
  readonly app: App;
  readonly service: PortfolioServicePort;
  readonly market: OkxClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tables: TableNames;
}

export async function createTestRuntime(
  env: Record<string, string | undefined>,
  options: AppOptions = {},
): Promise<TestRuntime> {
  const app = createApp(env, options);
  const [service, market, { doc, tables }] = await Promise.all([app.portfolio(), app.okx(), app.dynamo()]);
  return { app, service, market, doc, tables };
}
