import { Composer } from 'telegraf';
import type { Update } from 'telegraf/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../../shared/bot/bot';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import {
  GROUP_REDIRECT_TEXT,
  GROUP_SAFE_COMMANDS,
  NOT_YOUR_BUTTON,
  OPEN_PRIVATE_CHAT,
} from '../../../shared/bot/middleware';
import { callbackUpdate, commandUpdate, nextUpdateId, recordBotApi } from './bot-harness';
import { createDeps, createMemoryLogger } from './bot-fixtures';

type ChatType = 'group' | 'supergroup';
const GROUP = { id: -100500, type: 'supergroup' as ChatType, title: 'Friends' };
const BOT_USERNAME = 'EstherPortfolioBot';

/** Records every method called on a dependency, so a test can prove a refused update touched no data. */
function recordingProxy<T extends object>(target: T, touched: string[], name: string): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        touched.push(`${name}.${String(key)}`);
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/** The whole bot with every feature installed; what the features register is captured from Composer. */
function setup() {
  const commandSpy = vi.spyOn(Composer.prototype, 'command');
  const actionSpy = vi.spyOn(Composer.prototype, 'action');
  const touched: string[] = [];
  const base = createDeps();
  const refuse = () => {
    throw new Error('a refused update reached a store');
  };
  const deps: BotDeps = {
    ...base,
    portfolio: recordingProxy(base.portfolio, touched, 'portfolio'),
    market: recordingProxy(base.market, touched, 'market'),
    plans: recordingProxy({ get: refuse, put: refuse, transition: refuse } as never, touched, 'plans'),
    settings: recordingProxy({ get: refuse, setLiveMode: refuse, setUnlisted: refuse } as never, touched, 'settings'),
    alerts: recordingProxy({ getSettings: refuse, setRule: refuse, setMuted: refuse } as never, touched, 'alerts'),
    digests: recordingProxy({ get: refuse, set: refuse } as never, touched, 'digests'),
    activity: recordingProxy({ reactivate: refuse } as never, touched, 'activity'),
  };
  const api = recordBotApi();
  const bot = createBot(deps, { token: '123:TEST', logger: createMemoryLogger() });
  const commands = commandSpy.mock.calls.flatMap(([trigger]) =>
    Array.isArray(trigger) ? trigger : [trigger],
  ) as string[];
  const actions = actionSpy.mock.calls.flatMap(([trigger]) => (Array.isArray(trigger) ? trigger : [trigger])) as (
    string | RegExp
  )[];
  return { bot, touched, commands, actions, ...api };
}

afterEach(() => vi.restoreAllMocks());

function groupCommand(text: string, userId = 7, chat: { id: number; type: ChatType; title: string } = GROUP): Update {
  const command = text.split(' ')[0]!;
  const entities = text.startsWith('/') ? [{ type: 'bot_command', offset: 0, length: command.length }] : [];
  return {
    update_id: nextUpdateId(),
    message: { message_id: 9, date: 0, chat, from: { id: userId, is_bot: false, first_name: 'A' }, text, entities },
  } as Update;
}

/** Member `userId` taps a button under a message the bot posted in the group. */
function groupTap(data: string, userId = 8): Update {
  return {
    update_id: nextUpdateId(),
    callback_query: {
      id: `cb${nextUpdateId()}`,
      chat_instance: 'g',
      from: { id: userId, is_bot: false, first_name: 'B' },
      message: { message_id: 42, date: 0, chat: GROUP, text: 'old report' },
      data,
    },
  } as Update;
}

const redirect = (chatId: number, command: string) => ({
  method: 'sendMessage',
  payload: {
    chat_id: chatId,
    text: GROUP_REDIRECT_TEXT,
    parse_mode: 'HTML',
    reply_markup: {
      inline_keyboard: [[{ text: OPEN_PRIVATE_CHAT, url: `https://t.me/${BOT_USERNAME}?start=${command}` }]],
    },
  },
});

/** One tap per callback pattern: a new pattern without a sample here fails the enumeration test. */
const CALLBACK_SAMPLES = [
  'v1:refresh:7',
  'v1:report',
  'v1:window:30d',
  'v1:rebal',
  'v1:rebal:band',
  'v1:confirm:p1',
  'v1:cancel:p1',
  'v1:unlisted:sell',
  'v1:wrm:w1',
  'v1:wrmok:w1',
  'v1:wrmno:w1',
  'v1:al:t:gas',
  'v1:al:m',
  'v1:amute:7:gas',
  'v1:dg:off',
  'v1:dg:daily',
  'v1:dg:weekly',
  'v1:dg:h:9',
  'v1:dg:wd:3',
];
const matches = (trigger: string | RegExp, data: string) =>
  typeof trigger === 'string' ? trigger === data : trigger.test(data);

describe('privacy guard: every registered command and callback is guarded', () => {
  it('every command but /start, /help and /share answers a group with one line and a private-chat button, touching no data', async () => {
    const h = setup();
    const personal = h.commands.filter((command) => !GROUP_SAFE_COMMANDS.has(command));
    // The features register these today; a new one is caught by the loop below without a change here.
    expect(personal).toEqual(
      expect.arrayContaining(['addwallet', 'wallets', 'portfolio', 'target', 'report', 'rebalance', 'live', 'alerts']),
    );
    expect([...GROUP_SAFE_COMMANDS].sort()).toEqual(['help', 'share', 'start']);

    for (const type of ['group', 'supergroup'] as const) {
      for (const command of personal) {
        h.calls.length = 0;
        const chat = { id: type === 'group' ? -500 : GROUP.id, type, title: 'Friends' };
        await h.bot.handleUpdate(groupCommand(`/${command} 0x${'ab'.repeat(20)} ETH 100`, 7, chat));
        expect({ command, type, calls: h.calls }).toEqual({ command, type, calls: [redirect(chat.id, command)] });
      }
    }
    expect(h.touched).toEqual([]);
  });

  it('every callback pattern has a sample, and every sample tapped under a group message only gets a callback answer', async () => {
    const h = setup();
    expect(h.actions.length).toBeGreaterThanOrEqual(9);
    for (const trigger of h.actions)
      expect({ trigger: String(trigger), sampled: CALLBACK_SAMPLES.some((data) => matches(trigger, data)) }).toEqual({
        trigger: String(trigger),
        sampled: true,
      });

    for (const data of CALLBACK_SAMPLES) {
      h.calls.length = 0;
      await h.bot.handleUpdate(groupTap(data));
      expect({ data, calls: h.calls }).toEqual({
        data,
        calls: [
          { method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String), text: NOT_YOUR_BUTTON } },
        ],
      });
    }
    expect(h.touched).toEqual([]);
  });
});

describe('privacy guard: group chats', () => {
  it('/portfolio, /wallets, /report, /target and /rebalance in a group post no figures, addresses or charts', async () => {
    const h = setup();

    for (const command of ['portfolio', 'wallets', 'report', 'target', 'rebalance'])
      await h.bot.handleUpdate(groupCommand(`/${command}@${BOT_USERNAME}`));

    expect(h.calls).toEqual(
      ['portfolio', 'wallets', 'report', 'target', 'rebalance'].map((command) => redirect(GROUP.id, command)),
    );
    expect(h.calls.some((call) => /\$|0x/.test(JSON.stringify(call.payload.text)))).toBe(false);
    expect(h.touched).toEqual([]);
  });

  it('/addwallet in a group stores nothing', async () => {
    const h = setup();

    await h.bot.handleUpdate(groupCommand(`/addwallet 0x${'cd'.repeat(20)} ethereum`));

    expect(h.calls).toEqual([redirect(GROUP.id, 'addwallet')]);
    expect(h.touched).toEqual([]);
  });

  it("member B's tap on a window button under A's report changes nothing and gets a callback answer", async () => {
    const h = setup();

    await h.bot.handleUpdate(groupTap('v1:window:30d', 8));

    expect(h.calls).toEqual([
      { method: 'answerCallbackQuery', payload: { callback_query_id: expect.any(String), text: NOT_YOUR_BUTTON } },
    ]);
    expect(h.touched).toEqual([]);
  });

  it('the same tap in the owner’s private chat still switches the window (the guard lets owners through)', async () => {
    const h = setup();

    await h.bot.handleUpdate(callbackUpdate('v1:window:30d', 7, 7));

    expect(h.calls.map((call) => call.method)).toEqual(['answerCallbackQuery', 'editMessageText', 'sendPhoto']);
    expect(h.touched).toContain('portfolio.getReport');
  });

  it('/help and /start still answer in a group; chatter and commands for other bots are ignored', async () => {
    const h = setup();

    await h.bot.handleUpdate(groupCommand('/help'));
    await h.bot.handleUpdate(groupCommand('/start@EstherPortfolioBot'));
    await h.bot.handleUpdate(groupCommand('/portfolio@SomeOtherBot'));
    await h.bot.handleUpdate(groupCommand('my portfolio is up'));

    expect(h.calls.map((call) => [call.method, String(call.payload.text).slice(0, 2)])).toEqual([
      ['sendMessage', '👋'],
      ['sendMessage', '👋'],
    ]);
    expect(h.touched).toEqual([]);
  });

  it('a personal command in the private chat still reaches its feature', async () => {
    const h = setup();

    await h.bot.handleUpdate(commandUpdate('/portfolio'));

    expect(h.calls).toEqual([
      expect.objectContaining({
        method: 'sendMessage',
        payload: expect.objectContaining({ chat_id: 70, text: expect.stringContaining('💼 <b>Portfolio: $') }),
      }),
    ]);
  });

  it('/share posts an allocation card in the group with percentages only (opt-in)', async () => {
    const h = setup();

    await h.bot.handleUpdate(groupCommand('/share'));

    // The fixture's priced shares: ETH 0.62, WBTC 0.28, USDC 0.1 (SPAM is unpriced, so it has no share).
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: GROUP.id,
          parse_mode: 'HTML',
          text: '📊 <b>A’s allocation</b>\n• <b>ETH</b> 62.0 %\n• <b>WBTC</b> 28.0 %\n• <b>USDC</b> 10.0 %\n<i>Percentages only: amounts and addresses stay private.</i>',
        },
      },
    ]);
    expect(h.touched).toEqual(['portfolio.getLiveView']);
  });
});
