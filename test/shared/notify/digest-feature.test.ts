import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDigestFeature, parseDigestArgs } from '../../../shared/notify/digest-feature';
import { createDigestStore, type DigestStore } from '../../../shared/notify/digest-store';
import { createSettingsStore } from '../../../shared/rebalance/settings-store';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';
import { callbackUpdate, commandUpdate, createTestBot } from '../bot/bot-harness';

let db: TestDynamo;
let digests: DigestStore;
const NOW = new Date('2026-12-03T10:00:00.000Z'); // Thursday

beforeAll(async () => {
  db = await createTestDynamo();
  digests = createDigestStore(db.doc, db.tables.portfolios);
});
afterEach(() => vi.restoreAllMocks());
afterAll(() => db.doc.destroy());

const setup = () => {
  const settings = createSettingsStore(db.doc, db.tables.sessions);
  return { ...createTestBot(createDigestFeature({ digests, settings, now: () => NOW })), settings };
};
const keyboard = (call: { payload: Record<string, unknown> }) =>
  (call.payload.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;

describe('/digest', () => {
  it('shows a user without a digest that it is off, with the three modes as buttons', async () => {
    const { bot, calls } = setup();
    await bot.handleUpdate(commandUpdate('/digest', 11, 11));

    expect(calls).toHaveLength(1);
    expect(calls[0]!.payload.text).toContain('It is <b>off</b>.');
    expect(keyboard(calls[0]!)).toEqual([
      [
        { text: '✅ Off', callback_data: 'v1:dg:off' },
        { text: 'Daily', callback_data: 'v1:dg:daily' },
        { text: 'Weekly', callback_data: 'v1:dg:weekly' },
      ],
    ]);
  });

  it('turns on a daily digest at 09:00 in the user’s zone and says when the next one comes', async () => {
    const { bot, calls, settings } = setup();
    await settings.setTimeZone('12', 'Europe/Berlin', NOW.toISOString());

    await bot.handleUpdate(callbackUpdate('v1:dg:daily', 12, 12));

    const edit = calls.find((call) => call.method === 'editMessageText')!;
    // 10:00 UTC is 11:00 in Berlin: today's 09:00 has passed, so Friday 09:00 CET = 08:00 UTC.
    expect(edit.payload.text).toContain(
      'It comes <b>every day at 09:00</b> (Europe/Berlin).\nNext: Fri 2026-12-04, 09:00.',
    );
    expect(await digests.get('12')).toEqual({
      schedule: { mode: 'daily', hour: 9 },
      timeZone: 'Europe/Berlin',
      nextDueAt: '2026-12-04T08:00:00.000Z',
    });
    expect(keyboard(edit)[1]!.find((button) => button.text.startsWith('✅'))).toEqual({
      text: '✅ 09:00',
      callback_data: 'v1:dg:h:9',
    });
  });

  it('switches to weekly, then picks the weekday and hour with buttons', async () => {
    const { bot, calls } = setup();
    await bot.handleUpdate(callbackUpdate('v1:dg:weekly', 13, 13));
    await bot.handleUpdate(callbackUpdate('v1:dg:wd:5', 13, 13));
    await bot.handleUpdate(callbackUpdate('v1:dg:h:18', 13, 13));

    expect(await digests.get('13')).toEqual({
      schedule: { mode: 'weekly', weekday: 5, hour: 18 },
      nextDueAt: '2026-12-04T18:00:00.000Z',
    });
    const last = calls.filter((call) => call.method === 'editMessageText').at(-1)!;
    expect(keyboard(last)[1]!.map((button) => button.text)).toEqual(['Mo', 'Tu', 'We', 'Th', '✅ Fr', 'Sa', 'Su']);
  });

  it('takes the typed forms and answers a wrong one with the usage', async () => {
    const { bot, calls } = setup();
    await bot.handleUpdate(commandUpdate('/digest weekly sun 7', 14, 14));
    expect(await digests.get('14')).toMatchObject({ schedule: { mode: 'weekly', weekday: 7, hour: 7 } });

    await bot.handleUpdate(commandUpdate('/digest daily 25', 14, 14));
    expect(calls.at(-1)!.payload.text).toContain('Usage: <code>/digest off</code>');

    await bot.handleUpdate(commandUpdate('/digest off', 14, 14));
    expect(await digests.get('14')).toEqual({ schedule: { mode: 'off' } });
  });

  it('parses the arguments, keeping the current hour and weekday when left out', () => {
    const weekly = { mode: 'weekly', weekday: 3, hour: 20 } as const;
    expect(parseDigestArgs(['daily'], weekly)).toEqual({ mode: 'daily', hour: 20 });
    expect(parseDigestArgs(['weekly'], weekly)).toEqual(weekly);
    expect(parseDigestArgs(['weekly', 'Tuesday', '6'], weekly)).toEqual({ mode: 'weekly', weekday: 2, hour: 6 });
    expect(parseDigestArgs(['daily'], { mode: 'off' })).toEqual({ mode: 'daily', hour: 9 });
    expect(parseDigestArgs(['weekly', 'someday'], weekly)).toBeUndefined();
    expect(parseDigestArgs(['daily', 'nine'], weekly)).toBeUndefined();
    expect(parseDigestArgs(['hourly'], weekly)).toBeUndefined();
    expect(parseDigestArgs(['off', 'now'], weekly)).toBeUndefined();
  });
});
