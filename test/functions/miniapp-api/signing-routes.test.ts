import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createMiniAppApi, type MiniAppApiDeps } from '../../../shared/miniapp/miniapp-api';
import { createMiniAppHandler } from '../../../shared/miniapp/miniapp-http';
import { createSigningFixture, SPENDER, USDC } from '../../shared/rebalance/signing-fixtures';
import { createMemoryLogger } from '../../support/memory-logger';
import { BOT_TOKEN, miniAppEvent, telegramInitData } from './miniapp-events';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped JSON answers, pinned by the assertions
const bodyOf = (result: APIGatewayProxyStructuredResultV2) => JSON.parse(result.body!) as Record<string, any>;

/** The Lambda's handler over the real signing service (DynamoDB Local, a fake OKX, a viem wallet), as API Gateway calls it. */
async function setUp(options: Parameters<typeof createSigningFixture>[0] = {}) {
  const f = await createSigningFixture(options);
  const deps = {
    portfolio: {} as MiniAppApiDeps['portfolio'],
    signing: f.service,
    now: () => f.clock.now,
  } satisfies MiniAppApiDeps;
  const handler = createMiniAppHandler({
    api: createMiniAppApi(async () => deps),
    getBotToken: async () => BOT_TOKEN,
    maxAgeSeconds: 3600,
    now: () => f.clock.now,
    logger: createMemoryLogger(),
  });
  const call = (method: string, path: string, userId = 42, body?: unknown) =>
    handler(miniAppEvent(method, `/miniapp/api${path}`, { initData: telegramInitData(userId, f.clock.now), body }));
  return { ...f, handler, call };
}

describe('Mini App signing routes (API Gateway HTTP API v2 events)', () => {
  it('GET /plans/{planId}: the SigningPlan of the owner; 404 for anyone else', async () => {
    const s = await setUp();
    const mine = await s.call('GET', '/plans/plan1');
    expect(mine.statusCode).toBe(200);
    expect(bodyOf(mine)).toEqual({
      planId: 'plan1',
      state: 'awaiting-signature',
      signBy: '2036-03-18T10:15:00.000Z',
      dryRun: false,
      legs: [
        {
          index: 0,
          chainIndex: '1',
          chainName: 'Ethereum',
          family: 'evm',
          walletAddress: s.wallet,
          from: { symbol: 'USDC', tokenAddress: USDC, amount: '1000' },
          to: { symbol: 'ETH', tokenAddress: '', expected: '0.303', minReceived: '0.3' },
          state: 'awaiting-signature',
          steps: [],
        },
      ],
    });
    const theirs = await s.call('GET', '/plans/plan1', 43);
    expect(theirs.statusCode).toBe(404);
    expect(bodyOf(theirs)).toEqual(bodyOf(await s.call('GET', '/plans/nope')));
  });

  it('POST .../prepare returns the next step; a bad body is 400, a wrong wallet 403 with the expected one', async () => {
    const s = await setUp();
    const prepared = await s.call('POST', '/plans/plan1/legs/0/prepare', 42, { address: s.account.address });
    expect(prepared.statusCode).toBe(200);
    expect(bodyOf(prepared)).toMatchObject({ kind: 'approve', summary: { approval: { spender: SPENDER } } });

    for (const body of [undefined, [], { address: '' }, { address: s.wallet, extra: 1 }])
      expect((await s.call('POST', '/plans/plan1/legs/0/prepare', 42, body)).statusCode).toBe(400);
    const wrong = await s.call('POST', '/plans/plan1/legs/0/prepare', 42, {
      address: '0x2222222222222222222222222222222222222222',
    });
    expect(wrong.statusCode).toBe(403);
    expect(bodyOf(wrong).error).toMatchObject({ code: 'wrong-wallet', expected: s.wallet });
  });

  it('POST .../broadcast answers the SigningPlan; a dry run is refused with 409 not-live', async () => {
    const s = await setUp();
    s.market.spendable = '1000000000';
    const step = bodyOf(await s.call('POST', '/plans/plan1/legs/0/prepare', 42, { address: s.wallet }));
    const signedTx = await s.sign(step.evm);
    const sent = await s.call('POST', '/plans/plan1/legs/0/broadcast', 42, { stepId: step.stepId, signedTx });
    expect(sent.statusCode).toBe(200);
    expect(bodyOf(sent)).toMatchObject({
      state: 'submitted',
      legs: [{ state: 'submitted', steps: [{ state: 'submitted' }] }],
    });

    const dry = await setUp({ dryRun: true });
    const refused = await dry.call('POST', '/plans/plan1/legs/0/prepare', 42, { address: dry.wallet });
    expect(refused.statusCode).toBe(409);
    expect(bodyOf(refused).error.code).toBe('not-live');
    expect(bodyOf(await dry.call('GET', '/plans/plan1')).dryRun).toBe(true);
  });

  it('POST .../submitted records a wallet-sent hash; PUT on a plan is 405', async () => {
    const s = await setUp();
    const step = bodyOf(await s.call('POST', '/plans/plan1/legs/0/prepare', 42, { address: s.wallet }));
    const done = await s.call('POST', '/plans/plan1/legs/0/submitted', 42, {
      stepId: step.stepId,
      txHash: `0x${'ef'.repeat(32)}`,
    });
    expect(done.statusCode).toBe(200);
    expect(bodyOf(done).legs[0]).toMatchObject({ state: 'approving', steps: [{ txHash: `0x${'ef'.repeat(32)}` }] });
    const put = await s.call('PUT', '/plans/plan1', 42, {});
    expect(put.statusCode).toBe(405);
    expect(put.headers).toMatchObject({ allow: 'GET' });
  });

  it('refuses an expired plan with 409 expired', async () => {
    const s = await setUp();
    s.clock.now = new Date('2036-03-18T10:20:00.000Z');
    const refused = await s.call('POST', '/plans/plan1/legs/0/prepare', 42, { address: s.wallet });
    expect(refused.statusCode).toBe(409);
    expect(bodyOf(refused).error.code).toBe('expired');
  });
});
