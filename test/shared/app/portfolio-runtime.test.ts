import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { createPortfolioRuntime, OKX_RATE_SCOPE } from '../../../shared/app/portfolio-runtime';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

/** The real runtime over DynamoDB Local and the OKX sandbox; only the limiter wiring is under test here. */
describe('portfolio runtime: shared OKX rate limit', () => {
  let sandbox: OkxSandbox;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 1000 });
  });
  afterAll(() => sandbox.stop());

  function envFor(db: TestDynamo, extra: Record<string, string>): Record<string, string> {
    return {
      ...db.env,
      ...okxEnvOf(sandbox),
      OKX_RATE_LIMIT_PER_SECOND: '50',
      ...extra,
    };
  }

  /** Grants recorded in the sessions table for the OKX scope, summed over windows. */
  async function okxGrants(db: TestDynamo): Promise<{ windows: string[]; grants: number }> {
    const { Items = [] } = await db.doc.send(
      new QueryCommand({ TableName: db.tables.sessions, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `rate#${OKX_RATE_SCOPE}` } }),
    );
    return { windows: Items.map((item) => item.sk as string), grants: Items.reduce((sum, item) => sum + (item.count as number), 0) };
  }

  it('takes a slot from the DynamoDB window limiter for every OKX request when OKX_SHARED_RATE_LIMIT is true', async () => {
    // Prepare
    const db = await createTestDynamo();
    const runtime = await createPortfolioRuntime(envFor(db, { OKX_SHARED_RATE_LIMIT: 'true' }));
    // Act
    await runtime.market.getSupportedChains();
    // Assess
    const { windows, grants } = await okxGrants(db);
    expect(grants).toBe(1);
    expect(windows[0]).toMatch(/^window#\d{10}$/);
  });

  it('keeps the in-process bucket only when the flag is unset (local runs, the bench)', async () => {
    const db = await createTestDynamo();
    const runtime = await createPortfolioRuntime(envFor(db, {}));

    await runtime.market.getSupportedChains();

    expect(await okxGrants(db)).toEqual({ windows: [], grants: 0 });
  });

  it('refuses a flag that is neither true nor false at cold start', async () => {
    const db = await createTestDynamo();

    await expect(createPortfolioRuntime(envFor(db, { OKX_SHARED_RATE_LIMIT: 'maybe' }))).rejects.toThrow('invalid environment variable OKX_SHARED_RATE_LIMIT');
  });
});
