import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { okxEnvOf, startOkxSandbox, type OkxSandbox } from '../../../dev-tools/okx-sandbox/index';
import { botOf } from '../../../functions/telegram-webhook/handler';
import { createApp, OKX_RATE_SCOPE } from '../../../shared/app/create-app';
import { MissingConfigError } from '../../../shared/platform/config/env-names';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { createRecordingQueue } from '../../functions/sync-fanout/fanout-fixtures';

/** The real app over DynamoDB Local and the OKX sandbox. */
describe('createApp: the composition root', () => {
  let sandbox: OkxSandbox;
  let db: TestDynamo;

  beforeAll(async () => {
    sandbox = await startOkxSandbox({ seed: 7, rateLimitPerSecond: 1000 });
    db = await createTestDynamo();
  });
  afterAll(() => sandbox.stop());

  function envFor(extra: Record<string, string> = {}): Record<string, string> {
    return { ...db.env, ...okxEnvOf(sandbox), OKX_RATE_LIMIT_PER_SECOND: '50', ...extra };
  }

  /** Grants recorded in the sessions table for the OKX scope, summed over windows. */
  async function okxGrants(target: TestDynamo): Promise<{ windows: string[]; grants: number }> {
    const { Items = [] } = await target.doc.send(
      new QueryCommand({
        TableName: target.tables.sessions,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `rate#${OKX_RATE_SCOPE}` },
      }),
    );
    return {
      windows: Items.map((item) => item.sk as string),
      grants: Items.reduce((sum, item) => sum + (item.count as number), 0),
    };
  }

  it('builds nothing until a part is asked for, then each part once, shared by concurrent callers', async () => {
    const app = createApp(envFor());
    expect(app.built).toEqual([]);

    const [first, second] = await Promise.all([app.stores(), app.stores()]);

    expect(first).toBe(second);
    expect(await app.stores()).toBe(first);
    expect(app.built).toEqual(['dynamo', 'stores']);
  });

  it('builds the bot from the parts it needs: the portfolio service, the OKX client, the stores and the secrets reader, never the queue', async () => {
    const app = createApp(envFor({ TELEGRAM_BOT_TOKEN: '123:app-test', TELEGRAM_WEBHOOK_SECRET: 's' }));

    const bot = await botOf(app);

    expect(bot.botInfo).toMatchObject({ id: 123 });
    expect([...app.built].sort()).toEqual(['bot', 'dynamo', 'okx', 'portfolio', 'secrets', 'stores']);
  });

  it('builds no alert evaluation without a notification outbox, and one over the stores and the portfolio with it', async () => {
    const without = createApp(envFor());
    expect(await without.alerts()).toBeUndefined();
    expect(without.built).toEqual(['alerts']);

    const sent: unknown[] = [];
    const app = createApp(envFor(), { outbox: { send: async (notifications) => void sent.push(...notifications) } });
    const evaluator = await app.alerts();
    // A user with no wallets and no settings: nothing to observe, nothing sent.
    expect(await evaluator!.evaluate('424242')).toEqual({ started: 0, cleared: 0, held: 0, sent: 0, heldBack: 0 });
    expect(sent).toEqual([]);
    expect([...app.built].sort()).toEqual(['alerts', 'dynamo', 'okx', 'portfolio', 'secrets', 'stores']);
  });

  it('does not keep a failed build: the next call builds again', async () => {
    const env: Record<string, string | undefined> = envFor();
    const app = createApp(env);

    await expect(app.queue()).rejects.toThrow(new MissingConfigError('SYNC_QUEUE_URL'));
    env.SYNC_QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/EstherPortfolio-SyncQueue';
    env.AWS_REGION = 'eu-central-1';

    await expect(app.queue()).resolves.toEqual({ send: expect.any(Function) });
    expect(app.built).toEqual(['queue']);
  });

  it('uses the queue it was given instead of SQS (the local sync loop)', async () => {
    const queue = createRecordingQueue();

    await expect(createApp(envFor(), { queue }).queue()).resolves.toBe(queue);
  });

  it('takes a slot from the DynamoDB window limiter for every OKX request when OKX_SHARED_RATE_LIMIT is true', async () => {
    const own = await createTestDynamo();
    const app = createApp({ ...envFor(), ...own.env, OKX_SHARED_RATE_LIMIT: 'true' });

    await (await app.okx()).getSupportedChains();

    const { windows, grants } = await okxGrants(own);
    expect(grants).toBe(1);
    expect(windows[0]).toMatch(/^window#\d{10}$/);
  });

  it("counts the webhook's requests ('interactive' priority) against its share of the window", async () => {
    const own = await createTestDynamo();
    const app = createApp(
      { ...envFor(), ...own.env, OKX_SHARED_RATE_LIMIT: 'true', OKX_INTERACTIVE_SHARE_PERCENT: '40' },
      { okxPriority: 'interactive' },
    );

    await (await app.okx()).getSupportedChains();

    const { Items = [] } = await own.doc.send(
      new QueryCommand({
        TableName: own.tables.sessions,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `rate#${OKX_RATE_SCOPE}` },
      }),
    );
    expect(Items.map((item) => [item.count, item.interactive])).toEqual([[1, 1]]);
  });

  it('keeps the in-process bucket only when the flag is unset (local runs, the bench)', async () => {
    const own = await createTestDynamo();
    const app = createApp({ ...envFor(), ...own.env });

    await (await app.okx()).getSupportedChains();

    expect(await okxGrants(own)).toEqual({ windows: [], grants: 0 });
  });

  it('refuses a flag that is neither true nor false when the OKX client is built', async () => {
    await expect(createApp(envFor({ OKX_SHARED_RATE_LIMIT: 'maybe' })).okx()).rejects.toThrow(
      'invalid environment variable OKX_SHARED_RATE_LIMIT',
    );
  });
});
