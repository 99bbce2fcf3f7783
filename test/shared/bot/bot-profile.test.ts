import { Composer } from 'telegraf';
import type { Update } from 'telegraf/types';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../../shared/bot/bot';
import {
  BOT_COMMANDS,
  BOT_DESCRIPTION,
  BOT_SHORT_DESCRIPTION,
  HANDLED_UPDATE_TYPES,
  menuCommands,
} from '../../../shared/bot/bot-profile';
import { renderHelp } from '../../../shared/bot/help-message';
import { nextUpdateId, recordBotApi } from './bot-harness';
import { createDeps, createMemoryLogger } from './bot-fixtures';

afterEach(() => vi.restoreAllMocks());

/** The whole bot, with what its features register captured from Composer (as privacy-guard.test.ts does). */
function registrations() {
  const command = vi.spyOn(Composer.prototype, 'command');
  const action = vi.spyOn(Composer.prototype, 'action');
  const on = vi.spyOn(Composer.prototype, 'on');
  const hears = vi.spyOn(Composer.prototype, 'hears');
  const api = recordBotApi();
  // Plans, settings, alerts and digests present, so the rebalance, /live, /alerts and /digest features are installed too.
  const deps = createDeps({ plans: {} as never, settings: {} as never, alerts: {} as never, digests: {} as never });
  const bot = createBot(deps, { token: '123:TEST', logger: createMemoryLogger() });
  const triggers = (spy: { mock: { calls: unknown[][] } }) =>
    spy.mock.calls.flatMap(([trigger]) => (Array.isArray(trigger) ? trigger : [trigger]));
  return { bot, api, commands: triggers(command) as string[], actions: triggers(action), on: triggers(on), hears };
}

describe('bot profile: the one list /help shows and the stack registers with Telegram', () => {
  it('lists exactly the commands the features register, /start aside', () => {
    const { commands } = registrations();

    expect(new Set(commands)).toEqual(new Set([...BOT_COMMANDS.map((entry) => entry.command), 'start']));
  });

  it('names every update type a feature handles: commands and messages, and button taps', () => {
    const { actions, on, hears } = registrations();

    // command() and hears() match messages, action() matches callback queries, on(type) names its type.
    const types = new Set([
      'message',
      ...(actions.length ? ['callback_query'] : []),
      ...on.map(String),
      ...(hears.mock.calls.length ? ['message'] : []),
    ]);
    expect([...types].sort()).toEqual([...HANDLED_UPDATE_TYPES].sort());
    expect([...HANDLED_UPDATE_TYPES].sort()).toEqual(['callback_query', 'message']);
  });

  it('sends nothing for an update type outside that list (what allowed_updates keeps away)', async () => {
    const { bot, api } = registrations();
    const from = { id: 7, is_bot: false, first_name: 'A' };
    const chat = { id: 7, type: 'private' as const, first_name: 'A' };

    await bot.handleUpdate({
      update_id: nextUpdateId(),
      edited_message: { message_id: 1, date: 0, edit_date: 1, chat, from, text: '/portfolio' },
    } as Update);
    await bot.handleUpdate({
      update_id: nextUpdateId(),
      my_chat_member: {
        chat,
        from,
        date: 0,
        old_chat_member: { status: 'member', user: { id: 123, is_bot: true, first_name: 'Esther' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: 123, is_bot: true, first_name: 'Esther' } },
      },
    } as Update);

    expect(api.calls).toEqual([]);
  });

  it('renders each command line of /help from the list', () => {
    const lines = renderHelp({ dryRun: true }).split('\n');

    expect(lines).toContain(
      '/addwallet &lt;address&gt; [chains] — track a wallet, e.g. <code>/addwallet 0xabc… ethereum,base</code>',
    );
    expect(lines).toContain('/live on|off — opt in to building real transactions to sign');
    expect(lines).toContain('/help — what I can do, and every command');
    expect(lines[1]).toBe(BOT_DESCRIPTION);
    expect(lines).toContain(
      '/digest — a daily or weekly summary at the hour you choose, e.g. <code>/digest daily 9</code>',
    );
    expect(lines.filter((line) => line.startsWith('/'))).toHaveLength(11);
  });

  it('gives the menu each command with its summary capitalised, within Telegram limits', () => {
    const menu = menuCommands();

    expect(menu[0]).toEqual({ command: 'addwallet', description: 'Track a wallet' });
    expect(menu.at(-1)).toEqual({ command: 'help', description: 'What I can do, and every command' });
    for (const entry of menu) {
      expect(entry.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(entry.description.length).toBeGreaterThanOrEqual(1);
      expect(entry.description.length).toBeLessThanOrEqual(256);
    }
    expect(BOT_DESCRIPTION.length).toBeLessThanOrEqual(512);
    expect(BOT_SHORT_DESCRIPTION.length).toBeLessThanOrEqual(120);
  });
});
