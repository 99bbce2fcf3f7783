import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALERTS_USAGE, createAlertsFeature, NOT_YOUR_ALERT } from '../../../shared/notify/alerts-feature';
import { createAlertStore, type AlertStore } from '../../../shared/notify/alert-store';
import { createSettingsStore, type SettingsStore } from '../../../shared/rebalance/settings-store';
import { createDigestStore } from '../../../shared/notify/digest-store';
import { callbackUpdate, commandUpdate, createTestBot } from '../bot/bot-harness';
import { createTestDynamo, type TestDynamo } from '../../support/dynamo';

const NOW = new Date('2026-12-03T12:00:00.000Z');
let db: TestDynamo;
let alerts: AlertStore;
let settings: SettingsStore;
let nextUser = 100;

beforeAll(async () => {
  db = await createTestDynamo();
  alerts = createAlertStore(db.doc, db.tables.sessions);
  settings = createSettingsStore(db.doc, db.tables.sessions);
});
afterEach(() => vi.restoreAllMocks());

function setup() {
  const userId = nextUser++;
  const { bot, calls } = createTestBot(createAlertsFeature({ alerts, settings, now: () => NOW }));
  const send = async (text: string) => {
    calls.length = 0;
    await bot.handleUpdate(commandUpdate(text, userId, userId));
    return calls;
  };
  const tap = async (data: string, from = userId) => {
    calls.length = 0;
    await bot.handleUpdate(callbackUpdate(data, from, from));
    return calls;
  };
  const textOf = (call: { payload: Record<string, unknown> } | undefined) => String(call?.payload.text);
  return { userId: String(userId), send, tap, textOf };
}

const RULE_BUTTONS = (off: string[] = []) =>
  ['drift', 'asset', 'sector', 'chain', 'depeg', 'move', 'stale', 'gas'].map((id) => [
    { text: `${off.includes(id) ? '▫️' : '✅'} ${id}`, callback_data: `v1:al:t:${id}` },
    { text: '−', callback_data: `v1:al:d:${id}` },
    { text: '+', callback_data: `v1:al:u:${id}` },
  ]);

describe('/alerts', () => {
  it('lists every rule with on/off and its threshold, quiet hours, time zone and the daily cap, with buttons', async () => {
    const h = setup();
    expect(await h.send('/alerts')).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: Number(h.userId),
          parse_mode: 'HTML',
          text: [
            '🔔 <b>Alerts</b>',
            'I check these after each sync and tell you once when one starts; again only after it has cleared.',
            '',
            '✅ Drift outside the target band <b>5 pp</b>',
            '✅ One non-stable asset above <b>50 %</b>',
            '✅ One sector above <b>50 %</b>',
            '✅ One chain above <b>80 %</b>',
            '✅ Stablecoin off its $1 peg by <b>2 %</b>',
            '✅ Portfolio up or down in 24 h by <b>10 %</b>',
            '✅ Wallet not synced for <b>60 min</b>',
            '✅ Gas below <b>100 % of reserve</b>',
            '',
            '🌙 Quiet hours: <b>off</b> (alerts wait until they end) · 🕰 UTC',
            '📬 At most <b>5</b> alerts a day',
            '',
            'Tap a rule to switch it, − / + to change its threshold. More: <code>/alerts asset 60</code>, <code>/alerts quiet 22-7</code>, <code>/alerts tz Europe/Berlin</code>, <code>/alerts cap 5</code>.',
          ].join('\n'),
          reply_markup: {
            inline_keyboard: [
              ...RULE_BUTTONS(),
              [
                { text: '🔕 Mute all', callback_data: 'v1:al:m' },
                { text: '🌙 Quiet 22–07', callback_data: 'v1:al:q' },
              ],
              [
                { text: '− a day', callback_data: 'v1:al:c-' },
                { text: '+ a day', callback_data: 'v1:al:c+' },
              ],
            ],
          },
        },
      },
    ]);
  });

  it('moves a daily digest to the new local hour when the time zone changes', async () => {
    const digests = createDigestStore(db.doc, db.tables.portfolios);
    const userId = String(nextUser++);
    // Daily at 09:00 UTC; then Tokyo (UTC+9): 09:00 there is 00:00 UTC, the next one on 4 December.
    await digests.set(userId, { mode: 'daily', hour: 9 }, undefined, NOW);
    expect((await digests.get(userId)).nextDueAt).toBe('2026-12-04T09:00:00.000Z');
    const { bot } = createTestBot(createAlertsFeature({ alerts, settings, digests, now: () => NOW }));

    await bot.handleUpdate(commandUpdate('/alerts tz Asia/Tokyo', Number(userId), Number(userId)));

    expect((await settings.get(userId)).timeZone).toBe('Asia/Tokyo');
    expect((await digests.get(userId)).nextDueAt).toBe('2026-12-04T00:00:00.000Z');
  });

  it('changes a threshold, a rule, quiet hours, the time zone and the cap by reply', async () => {
    const h = setup();
    expect(h.textOf((await h.send('/alerts asset 60%'))[0])).toContain(
      'One non-stable asset above 60 %.\n\n🔔 <b>Alerts</b>',
    );
    expect(h.textOf((await h.send('/alerts gas off'))[0])).toContain('▫️ Gas below <b>100 % of reserve</b> (off)');
    expect(h.textOf((await h.send('/alerts quiet 22-7'))[0])).toContain('🌙 Quiet hours: <b>22:00–07:00</b>');
    expect(h.textOf((await h.send('/alerts tz Europe/Berlin'))[0])).toContain('🕰 Europe/Berlin');
    expect(h.textOf((await h.send('/alerts cap 3'))[0])).toContain('📬 At most <b>3</b> alerts a day');
    expect(h.textOf((await h.send('/alerts off'))[0])).toContain('🔔 <b>Alerts</b> — 🔕 <b>muted</b>');

    const stored = await alerts.getSettings(h.userId);
    expect(stored).toMatchObject({ muted: true, quietHours: { start: 22, end: 7 }, dailyCap: 3 });
    expect(stored.rules.asset).toEqual({ on: true, threshold: '60' });
    expect(stored.rules.gas.on).toBe(false);
    expect((await settings.get(h.userId)).timeZone).toBe('Europe/Berlin');

    await h.send('/alerts quiet off');
    await h.send('/alerts on');
    expect(await alerts.getSettings(h.userId)).toMatchObject({ muted: false });
    expect((await alerts.getSettings(h.userId)).quietHours).toBeUndefined();
  });

  it('refuses what it cannot use, saying what it takes, and stores nothing', async () => {
    const h = setup();
    const problems = [
      [
        '/alerts tz Mars/Olympus',
        '⚠️ "Mars/Olympus" is not a time zone I know (e.g. Europe/Berlin, America/New_York, UTC).',
      ],
      ['/alerts asset 95', '⚠️ The asset threshold is a number from 30 to 90 (%).'],
      ['/alerts depeg lots', '⚠️ The depeg threshold is a number from 0.5 to 5 (%).'],
      ['/alerts quiet 25-3', '⚠️ Quiet hours are two different whole hours from 0 to 23, e.g. 22-7.'],
      ['/alerts quiet 7-7', '⚠️ Quiet hours are two different whole hours from 0 to 23, e.g. 22-7.'],
      ['/alerts cap 0', '⚠️ The daily limit is a whole number from 1 to 20.'],
      ['/alerts <b>x</b>', '⚠️ I don\'t know "&lt;b&gt;x&lt;/b&gt;".'],
    ];
    for (const [command, problem] of problems)
      expect(h.textOf((await h.send(command!))[0])).toBe(`${problem}\n\n${ALERTS_USAGE}`);
    expect(await alerts.read(h.userId)).toMatchObject({ states: [] });
    expect((await settings.get(h.userId)).timeZone).toBeUndefined();
  });

  it('switches rules and steps thresholds with buttons, editing the message in place', async () => {
    const h = setup();
    const up = await h.tap('v1:al:u:asset');
    expect(up.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText']);
    expect(h.textOf(up[1])).toContain('✅ One non-stable asset above <b>60 %</b>');
    await h.tap('v1:al:d:drift');
    expect((await alerts.getSettings(h.userId)).rules.drift.threshold).toBe('3');
    const off = await h.tap('v1:al:t:stale');
    expect((off[1]!.payload.reply_markup as { inline_keyboard: unknown[] }).inline_keyboard.slice(0, 8)).toEqual(
      RULE_BUTTONS(['stale']),
    );
    await h.tap('v1:al:m');
    await h.tap('v1:al:q');
    await h.tap('v1:al:c+');
    expect(await alerts.getSettings(h.userId)).toMatchObject({
      muted: true,
      quietHours: { start: 22, end: 7 },
      dailyCap: 6,
    });
    await h.tap('v1:al:q');
    await h.tap('v1:al:c-');
    await h.tap('v1:al:c-');
    expect(await alerts.getSettings(h.userId)).toMatchObject({ dailyCap: 4 });
    expect((await alerts.getSettings(h.userId)).quietHours).toBeUndefined();
  });

  it('mutes a rule from an alert’s button for its owner only', async () => {
    const h = setup();
    const other = String(nextUser++);
    expect(await h.tap(`v1:amute:${h.userId}:gas`, Number(other))).toEqual([
      { method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String), text: NOT_YOUR_ALERT } },
    ]);
    expect((await alerts.getSettings(h.userId)).rules.gas.on).toBe(true);
    expect((await alerts.getSettings(other)).rules.gas.on).toBe(true);

    expect(await h.tap(`v1:amute:${h.userId}:gas`)).toEqual([
      {
        method: 'answerCallbackQuery',
        payload: { callback_query_id: expect.any(String), text: '🔕 Gas below: muted. /alerts turns it back on.' },
      },
    ]);
    expect((await alerts.getSettings(h.userId)).rules.gas.on).toBe(false);
  });
});
