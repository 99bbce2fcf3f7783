import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../../shared/bot/bot';
import type { BotDeps } from '../../../shared/bot/bot-deps';
import { createWebhookHandler } from '../../../functions/telegram-webhook/handler';
import { MAX_MESSAGE_LENGTH } from '../../../shared/platform/telegram/messages';
import { validateTargetAllocation } from '../../../shared/rebalance/rebalance-target';
import { commandUpdate, nextUpdateId, recordBotApi } from './bot-harness';
import { createDeps, createMemoryLogger } from './bot-fixtures';
import { webhookEvent } from '../../functions/telegram-webhook/webhook-events';

function setup(overrides: Partial<BotDeps> = {}) {
  const deps = createDeps(overrides);
  const logger = createMemoryLogger();
  const api = recordBotApi();
  const bot = createBot(deps, { token: '123:TEST', logger });
  const texts = () =>
    api.calls.filter((call) => call.method === 'sendMessage').map((call) => String(call.payload.text));
  return { deps, logger, bot, texts, ...api };
}

const withFirstName = (update: Update, firstName: string) => {
  const message = (update as Update.MessageUpdate).message;
  return { ...update, message: { ...message, from: { ...message.from, first_name: firstName } } } as Update;
};

/** What the real service does with a target naming no held or listed asset (shared/rebalance/rebalance-target.ts). */
const realTargetValidation = (deps: ReturnType<typeof createDeps>) => {
  deps.portfolio.setTargetAllocation = async (_userId, target) => validateTargetAllocation(target, []);
};

describe('hostile input: every answer fits in a Telegram message', () => {
  it('/addwallet with a 4,500-character chain word answers with a short excerpt of it', async () => {
    const h = setup();
    const word = `zz${'x'.repeat(4_498)}`;

    await h.bot.handleUpdate(commandUpdate(`/addwallet 0x${'a'.repeat(40)} ${word}`));

    expect(h.texts()).toHaveLength(1);
    expect(h.texts()[0]!.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    // 40-character excerpt: 39 characters of the word and "…".
    expect(h.texts()[0]).toContain(`"zz${'x'.repeat(37)}…"`);
    expect(h.deps.portfolio.calls).toEqual([]);
  });

  it('/target with 700 unknown pairs answers with the reason cut short, not a dropped 7,000-character reply', async () => {
    const h = setup();
    realTargetValidation(h.deps);
    const pairs = Array.from({ length: 700 }, (_, index) => `COIN${index} 0.1`).join(' ');

    await h.bot.handleUpdate(commandUpdate(`/target ${pairs}`));

    expect(h.texts()).toHaveLength(1);
    expect(h.texts()[0]!.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    expect(h.texts()[0]).toMatch(/^⚠️ Not in your portfolio: coin0, coin1, .*…$/);
    expect(h.logger.lines.map((line) => line.message)).toEqual(['update refused']);
  });

  it('/start from a user with a 4,000-character first name greets with an excerpt', async () => {
    const h = setup();

    await h.bot.handleUpdate(withFirstName(commandUpdate('/start'), `<b>${'N'.repeat(3_997)}`));

    expect(h.texts()).toHaveLength(1);
    expect(h.texts()[0]!.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
    // 40 characters of the name ("<b>" + 36 N + "…"), escaped.
    expect(h.texts()[0]).toMatch(new RegExp(`^👋 Hi &lt;b&gt;N{36}…! I am <b>Esther Portfolio</b>\\.`));
  });

  it('/target with a 4,000-character asset or percent quotes only an excerpt', async () => {
    const h = setup();
    const long = 'Q'.repeat(4_000);

    await h.bot.handleUpdate(commandUpdate(`/target ${long} 50 ${long} 50`));
    await h.bot.handleUpdate(commandUpdate(`/target ETH ${long}`));

    expect(h.texts()).toHaveLength(2);
    for (const text of h.texts()) expect(text.length).toBeLessThanOrEqual(600);
    expect(h.texts()[0]).toMatch(/^⚠️ Q{39}… appears twice\./);
    expect(h.texts()[1]).toMatch(/^⚠️ &quot;Q{39}…&quot; is not a percentage \(for ETH\)\./);
  });
});

describe('hostile input: updates without a user', () => {
  const noFrom = (chat: object, text: string): Update => {
    const update = commandUpdate(text) as Update.MessageUpdate;
    const { from: _from, ...message } = update.message;
    return { update_id: nextUpdateId(), message: { ...message, chat } } as unknown as Update;
  };

  it('are ignored politely: 200 to Telegram, nothing sent, nothing thrown or logged as a failure', async () => {
    const h = setup();
    const claimed: number[] = [];
    const handler = createWebhookHandler({
      getWebhookSecret: async () => 'c2VjcmV0LXRva2VuLWZvci10ZXN0cy0zMi1ieXRlcw',
      getParts: async () => ({
        bot: h.bot,
        updates: { claim: async (id: number) => claimed.push(id) > 0, release: async () => {} } as never,
      }),
      logger: h.logger,
    });

    const results = [
      await handler(webhookEvent(noFrom({ id: 70, type: 'private', first_name: 'U' }, '/target ETH 50'))),
      await handler(webhookEvent(noFrom({ id: -100500, type: 'supergroup', title: 'g' }, '/portfolio'))),
    ];

    expect(results.map((result) => result.statusCode)).toEqual([200, 200]);
    expect(claimed).toHaveLength(2);
    expect(h.calls).toEqual([]);
    expect(h.deps.portfolio.calls).toEqual([]);
    expect(h.logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
  });
});
