import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../dev-tools/okx-sandbox/index';
import { createTestRuntime, type TestRuntime } from './app-runtime';
import { createTestDynamo } from './dynamo';

/** The real runtime (fresh DynamoDB Local tables, the OKX client over HTTP, the service) against a new OKX sandbox. */
export async function startSandboxRuntime(
  seed: number,
  now: () => Date,
): Promise<{ sandbox: OkxSandbox; runtime: TestRuntime }> {
  const sandbox = await startOkxSandbox({ seed, rateLimitPerSecond: 1000 });
  const db = await createTestDynamo();
  const runtime = await createTestRuntime(
    { ...db.env, ...okxEnvOf(sandbox), OKX_RATE_LIMIT_PER_SECOND: '200', DRY_RUN_MODE: 'true' },
    { now },
  );
  return { sandbox, runtime };
}
