import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';
import {
  checkHealth,
  createHealthHandler,
  handler,
  type HealthDeps,
  type HealthReport,
} from '../../../functions/health/handler';
import { createApp } from '../../../shared/app/create-app';
import { captureOutput } from '../../support/captured-output';
import { createOkxProbe } from '../../../functions/health/okx-probe';
import { createMemoryLogger, type MemoryLogger } from '../../support/memory-logger';
import { createDueIndexStore } from '../../../shared/wallets/portfolio-store';
import { createSyncCycleStore } from '../../../shared/sync/sync-cycle-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { evmAddress, seedUser, userIdsInShard } from '../../shared/sync/due-fixtures';

const NOW = new Date('2030-01-01T10:05:00.000Z');
const okxUp = async () => ({ reachable: true, cached: false, checkedAt: NOW.toISOString() });

describe('health check', () => {
  let db: TestDynamo;
  let logger: MemoryLogger;
  const logs = () => logger.entries();
  let metrics: { addMetric: ReturnType<typeof vi.fn<(name: string, unit: string, value: number) => void>> };
  const call = async (overrides: Partial<HealthDeps> = {}) => {
    logger = createMemoryLogger();
    metrics = { addMetric: vi.fn<(name: string, unit: string, value: number) => void>() };
    const deps = {
      logger,
      metrics,
      cycles: createSyncCycleStore(db.doc, db.tables.sessions),
      due: createDueIndexStore(db.doc, db.tables.portfolios),
      checkOkx: okxUp,
      now: () => NOW,
      ...overrides,
    };
    const result = (await checkHealth(deps)) as APIGatewayProxyStructuredResultV2;
    return { statusCode: result.statusCode, headers: result.headers, body: JSON.parse(result.body!) as HealthReport };
  };

  beforeAll(async () => {
    db = await createTestDynamo();
    const cycles = createSyncCycleStore(db.doc, db.tables.sessions);
    await cycles.claim('2030-01-01T10:00:00.000Z', Date.now(), 60_000);
    await cycles.recordDispatch(
      '2030-01-01T10:00:00.000Z',
      { enqueued: 0, dueUsers: 3, skippedForBudget: 0, plannedRequests: 0, budget: 480 },
      '2030-01-01T10:02:00.000Z',
    );
    const [fresh, stale, never] = userIdsInShard(1, 3, 'hl');
    await seedUser(db.doc, db.tables.portfolios, fresh!, [evmAddress(1)], '2030-01-01T10:01:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, stale!, [evmAddress(2), evmAddress(3)], '2030-01-01T09:20:00.000Z');
    await seedUser(db.doc, db.tables.portfolios, never!, [evmAddress(4)]);
  });

  it('answers 200 with status and component health only; user and stale wallet counts go to the log', async () => {
    const { statusCode, headers, body } = await call();

    expect(statusCode).toBe(200);
    expect(headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(body).toEqual({
      status: 'ok',
      checkedAt: NOW.toISOString(),
      problems: [],
      dynamodb: { reachable: true, latencyMs: expect.any(Number) },
      okx: { reachable: true, cached: false, checkedAt: NOW.toISOString() },
      lastSyncCycle: { cycleId: '2030-01-01T10:00:00.000Z', completedAt: '2030-01-01T10:02:00.000Z', ageSeconds: 180 },
    });
    expect(logs()).toEqual([
      {
        level: 'INFO',
        message: 'health counts',
        status: 'ok',
        users: 3,
        deadLettered: 0,
        staleUsers: 2,
        staleWallets: 3,
        staleCapped: false,
      },
    ]);
    // Completed 10:02, checked 10:05: 180 s old; 3 users were due.
    expect(metrics.addMetric.mock.calls).toEqual([
      ['HealthCheckOk', 'Count', 1],
      ['Users', 'Count', 3],
      ['LastSyncCycleAgeSeconds', 'Seconds', 180],
    ]);
  });

  it('answers 503 when OKX is unreachable, naming only the error class', async () => {
    const probe = createOkxProbe({
      market: {
        getSupportedChains: async () =>
          Promise.reject(Object.assign(new Error('apiKey=secret'), { name: 'OkxTransportError' })),
      },
      now: () => NOW,
    });
    const { statusCode, body } = await call({ checkOkx: probe });

    expect(statusCode).toBe(503);
    expect(body).toMatchObject({
      status: 'degraded',
      problems: ['okx unreachable'],
      okx: { reachable: false, error: 'OkxTransportError' },
    });
    expect(JSON.stringify(body)).not.toContain('secret');
  });

  it('answers 503 when the last completed cycle is older than three cycles', async () => {
    const { statusCode, body } = await call({ now: () => new Date('2030-01-01T10:40:00.000Z') });
    expect(statusCode).toBe(503);
    expect(body.problems).toEqual(['last sync cycle too old']);
  });

  it('answers 503 before any cycle completed', async () => {
    const empty = await createTestDynamo();
    const { statusCode, body } = await call({
      cycles: createSyncCycleStore(empty.doc, empty.tables.sessions),
      due: createDueIndexStore(empty.doc, empty.tables.portfolios),
    });
    expect(statusCode).toBe(503);
    expect(body).toMatchObject({ problems: ['no completed sync cycle'], lastSyncCycle: null });
    expect(metrics.addMetric.mock.calls).toEqual([['HealthCheckOk', 'Count', 0]]);
  });

  it('answers 503 when DynamoDB is unreachable', async () => {
    const { statusCode, body } = await call({
      cycles: { getLastCompleted: () => Promise.reject(new Error('ECONNREFUSED')) },
    });
    expect(statusCode).toBe(503);
    expect(body).toMatchObject({ problems: ['dynamodb unreachable'], dynamodb: { reachable: false } });
    expect(logs()).toContainEqual(expect.objectContaining({ staleWallets: null, users: null }));
  });

  it('bounds the stale count per shard and says so', async () => {
    const { body } = await call({ staleReadCap: 1 });
    expect(Object.keys(body)).not.toContain('staleUsers');
    expect(logs()).toContainEqual(expect.objectContaining({ staleUsers: 1, staleWallets: 1, staleCapped: true }));
  });
});

describe('OKX health probe', () => {
  it('calls OKX once a minute at most and marks cached answers', async () => {
    let now = new Date('2030-01-01T10:00:00.000Z');
    let calls = 0;
    const probe = createOkxProbe({ market: { getSupportedChains: async () => ((calls += 1), []) }, now: () => now });

    expect(await probe()).toEqual({ reachable: true, cached: false, checkedAt: '2030-01-01T10:00:00.000Z' });
    now = new Date('2030-01-01T10:00:59.000Z');
    expect(await probe()).toEqual({ reachable: true, cached: true, checkedAt: '2030-01-01T10:00:00.000Z' });
    now = new Date('2030-01-01T10:01:00.001Z');
    expect(await probe()).toEqual({ reachable: true, cached: false, checkedAt: '2030-01-01T10:01:00.001Z' });
    expect(calls).toBe(2);
  });

  it('re-checks a failure after 10 s and shares one call between concurrent checks', async () => {
    let now = new Date('2030-01-01T10:00:00.000Z');
    let calls = 0;
    const probe = createOkxProbe({
      market: {
        getSupportedChains: async () => {
          calls += 1;
          if (calls === 1) throw new Error('timeout');
          return [];
        },
      },
      now: () => now,
    });

    const [first, second] = await Promise.all([probe(), probe()]);
    expect(first).toMatchObject({ reachable: false, cached: false, error: 'Error' });
    expect(second).toBe(first);
    now = new Date('2030-01-01T10:00:05.000Z');
    expect(await probe()).toMatchObject({ reachable: false, cached: true });
    now = new Date('2030-01-01T10:00:10.001Z');
    expect(await probe()).toMatchObject({ reachable: true, cached: false });
    expect(calls).toBe(2);
  });
});

describe('health Lambda (API Gateway HTTP API v2 event, Lambda context)', () => {
  const OKX_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:esther/okx-AbCdEf';
  const secrets = mockClient(SecretsManagerClient);
  let sandbox: OkxSandbox;
  let env: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 3, rateLimitPerSecond: 1000 });
    const db = await createTestDynamo();
    env = {
      ...db.env,
      OKX_BASE_URL: sandbox.url,
      OKX_SECRET_ARN: OKX_ARN,
      OKX_RATE_LIMIT_PER_SECOND: '100',
      OKX_SHARED_RATE_LIMIT: 'true',
      AWS_REGION: 'eu-central-1',
    };
  });
  afterAll(async () => {
    secrets.restore();
    await sandbox.stop();
  });

  const healthEvent = (): APIGatewayProxyEventV2 => ({
    version: '2.0',
    routeKey: 'GET /portfolio/health',
    rawPath: '/portfolio/health',
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.eu-central-1.amazonaws.com', 'user-agent': 'curl/8.5.0' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.eu-central-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'GET',
        path: '/portfolio/health',
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.9',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'health-req-1',
      routeKey: 'GET /portfolio/health',
      stage: '$default',
      time: '01/Jan/2030:10:05:00 +0000',
      timeEpoch: 1_893_492_300_000,
    },
    isBase64Encoded: false,
  });
  const context = (awsRequestId: string) => ({
    ...createLocalLambdaContext({ functionName: 'EstherPortfolio-Health', timeoutMs: 10_000, memoryMb: 256 }),
    awsRequestId,
  });
  const bodyOf = (result: unknown) =>
    JSON.parse((result as APIGatewayProxyStructuredResultV2).body!) as Record<string, unknown>;

  it('builds only DynamoDB (its two stores) and the OKX client with its secret, never the portfolio service, the bot or the queue', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(sandbox.credentials) });
    const app = createApp(env);

    // Its own metrics sink: the shared buffer is published by the next test's handler.
    const body = bodyOf(
      await createHealthHandler(app, { logger: createMemoryLogger(), metrics: { addMetric: vi.fn() } })(),
    );

    expect(body.okx).toMatchObject({ reachable: true });
    expect([...app.built].sort()).toEqual(['dynamo', 'okx', 'secrets', 'stores']);
  });

  it('answers 503 naming only the error class when start-up fails, builds again on the next call, and keeps the OKX answer cached', async () => {
    secrets.reset();
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(
        Object.assign(new Error(`User is not authorized to access ${OKX_ARN}`), { name: 'AccessDeniedException' }),
      )
      .resolves({ SecretString: JSON.stringify(sandbox.credentials) });
    Object.assign(process.env, env);
    const output = captureOutput();

    const failed = (await handler(healthEvent(), context('req-1'))) as APIGatewayProxyStructuredResultV2;
    const first = bodyOf(await handler(healthEvent(), context('req-2')));
    const second = bodyOf(await handler(healthEvent(), context('req-3')));
    output.restore();

    expect(failed.statusCode).toBe(503);
    expect(bodyOf(failed)).toMatchObject({ status: 'degraded', problems: ['start-up failed: SecretUnavailableError'] });
    expect(failed.body).not.toContain('arn:');
    expect(first.okx).toMatchObject({ reachable: true, cached: false });
    expect(second.okx).toMatchObject({ reachable: true, cached: true });
    expect(sandbox.stats.totalRequests).toBe(2);
    // One structured line per check, with the invocation's correlation id; no secret in any line. The
    // logger drops null fields: no completed cycle yet, so no user count.
    const logLines = output.json().filter((line) => !('_aws' in line));
    // Each invocation publishes one EMF line: the failed start-up and both degraded checks count 0 healthy.
    const emf = output.json().filter((line) => '_aws' in line);
    expect(emf.map((line) => line.HealthCheckOk)).toEqual([0, 0, 0]);
    expect(emf[0]).toMatchObject({
      service: 'esther-portfolio',
      _aws: { CloudWatchMetrics: [{ Namespace: 'EstherPortfolio', Dimensions: [['service']] }] },
    });
    expect(logLines).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'health counts',
        status: 'degraded',
        staleUsers: 0,
        function_request_id: 'req-2',
        function_name: 'EstherPortfolio-Health',
        service: 'esther-portfolio',
      }),
      expect.objectContaining({
        level: 'INFO',
        message: 'health counts',
        function_request_id: 'req-3',
        cold_start: false,
      }),
    ]);
    expect(logLines[0]).not.toHaveProperty('users');
    expect(output.lines.join('\n')).not.toContain(sandbox.credentials.secretKey);
  });

  it('runs the same check when the 5-minute EventBridge rule invokes it, and publishes HealthCheckOk', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify(sandbox.credentials) });
    Object.assign(process.env, env);
    const output = captureOutput();

    // The rule's constant input (infra/constructs/operations.ts); the handler does not read its event.
    const result = (await handler(
      { source: 'esther.health-schedule' } as unknown as APIGatewayProxyEventV2,
      context('scheduled-1'),
    )) as APIGatewayProxyStructuredResultV2;
    output.restore();

    // No cycle has completed in this table: degraded, so the metric is 0 (the alarm's "< 1").
    expect(result.statusCode).toBe(503);
    const emf = output.json().filter((line) => '_aws' in line);
    expect(emf.map((line) => line.HealthCheckOk)).toEqual([0]);
  });
});
