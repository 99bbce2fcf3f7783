import { beforeAll, describe, expect, it } from 'vitest';
import { createLocalLambdaContext } from '../../../dev-tools/local/local-lambda-context';
import type { handler as Handler } from '../../../functions/miniapp-api/handler';
import { createTestDynamo } from '../../support/dynamo';
import { captureOutput } from '../../support/captured-output';
import { BOT_TOKEN, miniAppEvent, telegramInitData } from './miniapp-events';

// The Lambda entry as deployed (middy, Powertools, the app's parts from the environment, DynamoDB Local).
let handler: typeof Handler;
const context = () =>
  createLocalLambdaContext({ functionName: 'EstherPortfolio-MiniAppApi', timeoutMs: 10_000, memoryMb: 512 });

beforeAll(async () => {
  const db = await createTestDynamo();
  Object.assign(process.env, db.env, {
    TELEGRAM_BOT_TOKEN: BOT_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: 'not-used-by-the-mini-app',
    MINIAPP_INIT_DATA_MAX_AGE_SECONDS: '120',
  });
  ({ handler } = await import('../../../functions/miniapp-api/handler'));
});

describe('miniapp-api Lambda (API Gateway HTTP API v2 event, Lambda context)', () => {
  it('answers a signed request from DynamoDB, and refuses initData older than MINIAPP_INIT_DATA_MAX_AGE_SECONDS', async () => {
    const output = captureOutput();
    const fresh = await handler(
      miniAppEvent('GET', '/miniapp/api/portfolio', {
        initData: telegramInitData(4242, new Date(Date.now() - 60_000)),
      }),
      context(),
    );
    const old = await handler(
      miniAppEvent('GET', '/miniapp/api/portfolio', {
        initData: telegramInitData(4242, new Date(Date.now() - 180_000)),
      }),
      context(),
    );
    output.restore();
    expect(fresh.statusCode).toBe(200);
    expect(JSON.parse(fresh.body!)).toMatchObject({ totalValueUsd: '0', wallets: [], allocation: { assets: [] } });
    expect(old.statusCode).toBe(401);
    // One JSON line for the refusal, with the reason and no initData.
    expect(output.json().find((line) => line.message === 'mini app call refused')).toMatchObject({
      level: 'WARN',
      problem: 'expired',
    });
    expect(output.lines.join('\n')).not.toContain('auth_date');
  });
});
