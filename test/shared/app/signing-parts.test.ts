import { describe, expect, it } from 'vitest';
import { createApp } from '../../../shared/app/create-app';
import { signingOf } from '../../../shared/app/signing-part';
import { trackingOf } from '../../../shared/app/tracking-part';
import { createPlanStore } from '../../../shared/rebalance/plan-store';
import { createTrackingScheduler } from '../../../shared/rebalance/track-plan-job';
import { createRecordingQueue } from '../../functions/sync-fanout/fanout-fixtures';
import { createTestDynamo } from '../../support/dynamo';
import { awaitingPlan } from '../rebalance/signing-fixtures';

const WALLET = '0x238193be9e80e68eace3588b45d8cf4a7eae0fa3';

describe('signing and tracking app parts', () => {
  it('builds the signing service once over the app’s stores, DRY_RUN_MODE and queue', async () => {
    const db = await createTestDynamo();
    const queue = createRecordingQueue();
    const app = createApp(
      { ...db.env, DRY_RUN_MODE: 'false' },
      { queue, now: () => new Date('2036-03-18T10:20:00.000Z') },
    );
    const plans = createPlanStore(db.doc, db.tables.sessions);
    // Settled (confirmed) after a broadcast, not yet reported: the page's look asks the worker to report it.
    const plan = awaitingPlan(WALLET);
    await plans.create({
      ...plan,
      state: 'confirmed',
      legs: [
        {
          ...plan.legs[0]!,
          execution: {
            rev: 3,
            state: 'confirmed',
            walletAddress: WALLET,
            steps: [
              {
                stepId: 's1',
                kind: 'swap',
                state: 'confirmed',
                tx: { family: 'evm', chainId: 1, from: WALLET, to: '0xr', data: '0x', value: '0' },
                preparedAt: '2036-03-18T10:01:00.000Z',
              },
            ],
          },
        },
      ],
    });

    const [service, again] = await Promise.all([signingOf(app), signingOf(app)]);
    const { plan: viewed, dryRun } = await service.view('42', 'plan1');

    expect(service).toBe(again);
    expect(viewed.state).toBe('confirmed');
    // The user never turned /live on: the page is read-only.
    expect(dryRun).toBe(true);
    expect(queue.sent).toEqual([
      {
        key: 'track#plan1#0',
        body: JSON.stringify({ v: 1, kind: 'track-plan', planId: 'plan1', userId: '42', attempt: 0 }),
        delaySeconds: 0,
      },
    ]);
    expect(app.built).toContain('signing');
    expect(app.built).not.toContain('okx');
  });

  it('builds the tracking job with the notification queue', async () => {
    const db = await createTestDynamo();
    const app = createApp(db.env, { queue: createRecordingQueue(), notifyQueue: createRecordingQueue() });
    const job = await trackingOf(app);
    expect(await job({ v: 1, kind: 'track-plan', planId: 'missing', userId: '42', attempt: 0 })).toBe('gone');
  });

  it('reports a queue that refused the message as an error (the worker redelivers the tracking job)', async () => {
    const schedule = createTrackingScheduler(createRecordingQueue(() => true));
    await expect(schedule(awaitingPlan(WALLET), 5, 1)).rejects.toThrow(/track-plan message not sent \(InternalError\)/);
  });
});
