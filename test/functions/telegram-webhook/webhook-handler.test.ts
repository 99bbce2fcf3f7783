import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createBot } from '../../../shared/bot/bot';
import {
  createWebhookHandler,
  isSecretValid,
  type WebhookParts,
  createUpdateStore,
  type UpdateStore,
} from '../../../functions/telegram-webhook/handler';
import { buildOnce } from '../../../shared/platform/helpers';
import { RetryableUpdateError } from '../../../shared/bot/retryable-update-error';
import { createTestDynamo } from '../../support/dynamo';
import { commandUpdate, nextUpdateId, recordBotApi } from '../../shared/bot/bot-harness';
import { awsError, createDeps, createMemoryLogger } from '../../shared/bot/bot-fixtures';
import { SECRET, webhookEvent } from './webhook-events';

let updates: UpdateStore;

beforeAll(async () => {
  const db = await createTestDynamo();
  updates = createUpdateStore(db.doc, db.tables.sessions);
});

function setup(options: { handlerTimeoutMs?: number; app?: Partial<WebhookParts> } = {}) {
  const deps = createDeps();
  const logger = createMemoryLogger();
  const api = recordBotApi();
  const bot = createBot(deps, { token: '123:TEST', logger, handlerTimeoutMs: options.handlerTimeoutMs });
  const handleUpdate = vi.spyOn(bot, 'handleUpdate');
  const getParts = vi.fn(async () => ({ bot, updates, ...options.app }));
  const getWebhookSecret = vi.fn(async () => SECRET);
  const metrics = { addMetric: vi.fn() };
  const handler = createWebhookHandler({ getWebhookSecret, getParts, logger, metrics });
  return { handler, deps, logger, metrics, handleUpdate, getParts, getWebhookSecret, ...api };
}

const OK = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
const status = (code: number) => expect.objectContaining({ statusCode: code });

describe('webhook handler: authentication and routing', () => {
  it('runs a signed update through the bot and answers 200', async () => {
    const h = setup();

    const result = await h.handler(webhookEvent(commandUpdate('/help')));

    expect(result).toEqual(OK);
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: { chat_id: 70, text: expect.stringContaining('DRY-RUN MODE'), parse_mode: 'HTML' },
      },
    ]);
  });

  it('decodes a base64 body first', async () => {
    const h = setup();

    expect(await h.handler(webhookEvent(commandUpdate('/help'), { base64: true }))).toEqual(OK);
    expect(h.calls.map((call) => call.method)).toEqual(['sendMessage']);
  });

  it.each([
    ['missing', null],
    ['wrong, same length', SECRET.replace(/.$/, 'X')],
    ['wrong, different length', 'short'],
    ['empty', ''],
  ])('answers 401 to a %s secret without reading the body or touching DynamoDB or the bot', async (_case, secret) => {
    const h = setup();

    const result = await h.handler(webhookEvent('{not json', { secret }));

    expect(result).toEqual(status(401));
    expect(h.getParts).not.toHaveBeenCalled();
    expect(h.calls).toEqual([]);
    expect(h.logger.lines).toEqual([
      { level: 'warn', message: 'webhook call with a missing or wrong secret', fields: { sourceIp: '91.108.6.1' } },
    ]);
  });

  it('accepts the header in any letter case', async () => {
    const h = setup();

    expect(
      await h.handler(webhookEvent(commandUpdate('/help'), { headerName: 'X-Telegram-Bot-Api-Secret-Token' })),
    ).toEqual(OK);
  });

  it('compares secrets through equal-length digests', () => {
    expect(isSecretValid(SECRET, SECRET)).toBe(true);
    expect(isSecretValid(`${SECRET}x`, SECRET)).toBe(false);
    expect(isSecretValid(undefined, SECRET)).toBe(false);
  });

  it('answers 405 to another method and 404 to another path', async () => {
    const h = setup();

    expect(await h.handler(webhookEvent('', { method: 'GET' }))).toEqual(status(405));
    expect(await h.handler(webhookEvent('', { path: '/portfolio/health' }))).toEqual(status(404));
    // Only the exact route: a longer path that merely ends in it, or adds a slash, is not the webhook.
    for (const path of ['/evil/telegram/webhook', '/x/../telegram/webhook', '/telegram/webhook/', '//telegram/webhook'])
      expect(await h.handler(webhookEvent('', { path }))).toEqual(status(404));
    expect(h.getWebhookSecret).not.toHaveBeenCalled();
  });
});

describe('webhook handler: bodies and duplicates', () => {
  it.each([
    ['not JSON', '{"update_id": 1,', 'webhook body is not JSON'],
    ['not an Update', { hello: 'world' }, 'webhook body is not a Telegram update'],
    ['a string update_id', { update_id: '12' }, 'webhook body is not a Telegram update'],
    ['JSON null', 'null', 'webhook body is not a Telegram update'],
    ['over 1 MB', JSON.stringify({ update_id: 1, pad: 'x'.repeat(1024 * 1024) }), 'webhook body too large'],
  ])('answers 200 and logs a signed body that is %s (a retry cannot fix it)', async (_case, body, message) => {
    const h = setup();

    expect(await h.handler(webhookEvent(body))).toEqual(OK);
    expect(h.getParts).not.toHaveBeenCalled();
    expect(h.logger.lines).toEqual([{ level: 'error', message, fields: { bytes: expect.any(Number) } }]);
  });

  it('acts once on the same update_id delivered twice and counts the duplicate', async () => {
    const h = setup();
    const update = commandUpdate('/help');

    const first = await h.handler(webhookEvent(update));
    const second = await h.handler(webhookEvent(update));

    expect([first, second]).toEqual([OK, OK]);
    expect(h.handleUpdate).toHaveBeenCalledTimes(1);
    expect(h.calls).toHaveLength(1);
    expect(h.logger.lines).toEqual([
      { level: 'info', message: 'duplicate update ignored', fields: { updateId: update.update_id } },
    ]);
    expect(h.metrics.addMetric.mock.calls).toEqual([['DuplicateUpdates', 'Count', 1]]);
  });

  it('answers 200 to update types it does not handle, sending nothing', async () => {
    const h = setup();
    const chatMember = {
      update_id: nextUpdateId(),
      my_chat_member: {
        chat: { id: 70, type: 'private' },
        from: { id: 7, is_bot: false, first_name: 'U' },
        date: 0,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'B' } },
        new_chat_member: { status: 'kicked', until_date: 0, user: { id: 1, is_bot: true, first_name: 'B' } },
      },
    };
    const poll = {
      update_id: nextUpdateId(),
      poll: {
        id: 'p',
        question: 'q',
        options: [],
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: true,
        type: 'regular',
        allows_multiple_answers: false,
      },
    };

    expect(await h.handler(webhookEvent(chatMember))).toEqual(OK);
    expect(await h.handler(webhookEvent(poll))).toEqual(OK);
    expect(h.calls).toEqual([]);
  });
});

describe('webhook handler: failures', () => {
  it('a bot error is answered kindly to the user and the handler still returns 200', async () => {
    const h = setup();
    h.deps.portfolio.failWith = new Error('bug');

    expect(await h.handler(webhookEvent(commandUpdate('/wallets')))).toEqual(OK);
    expect(h.calls).toEqual([
      {
        method: 'sendMessage',
        payload: {
          chat_id: 70,
          text: 'Sorry, something went wrong on my side. Please try again in a minute.',
          parse_mode: 'HTML',
        },
      },
    ]);
  });

  it('a slow update ends before the Lambda timeout with a kind answer and 200', async () => {
    const h = setup({ handlerTimeoutMs: 30 });
    h.deps.portfolio.getLiveView = () => new Promise(() => {});

    expect(await h.handler(webhookEvent(commandUpdate('/portfolio')))).toEqual(OK);
    expect(h.calls[0]!.payload.text).toBe('That took too long. Please try again in a minute.');
  });

  it('answers 500 when the webhook secret cannot be loaded (Telegram retries), without reading the body', async () => {
    const h = setup();
    h.getWebhookSecret.mockRejectedValueOnce(
      Object.assign(new Error('AccessDenied'), { name: 'SecretUnavailableError' }),
    );

    expect(await h.handler(webhookEvent(commandUpdate('/help')))).toEqual(status(500));
    expect(h.getParts).not.toHaveBeenCalled();
    expect(h.logger.lines).toEqual([
      { level: 'error', message: 'webhook secret unavailable', fields: { errorName: 'SecretUnavailableError' } },
    ]);
  });

  it('answers 500 when the bot cannot be built or the update claim cannot be written', async () => {
    const h = setup();
    h.getParts.mockRejectedValueOnce(new Error('cold start failed'));
    const throttled = { claim: vi.fn().mockRejectedValue(awsError('ThrottlingException')), release: vi.fn() };

    expect(await h.handler(webhookEvent(commandUpdate('/help')))).toEqual(status(500));
    h.getParts.mockResolvedValueOnce({ bot: { handleUpdate: h.handleUpdate } as never, updates: throttled });
    expect(await h.handler(webhookEvent(commandUpdate('/help')))).toEqual(status(500));
    expect(h.handleUpdate).not.toHaveBeenCalled();
  });

  it('a transient DynamoDB failure before any reply releases the claim and answers 500; the redelivery is processed', async () => {
    const h = setup();
    const update = commandUpdate('/wallets');
    h.deps.portfolio.failWith = awsError('ThrottlingException');

    expect(await h.handler(webhookEvent(update))).toEqual(status(500));
    h.deps.portfolio.failWith = undefined;
    expect(await h.handler(webhookEvent(update))).toEqual(OK);

    expect(h.calls.map((call) => call.method)).toEqual(['sendMessage']);
    expect(h.calls[0]!.payload.text).toContain('👛 <b>Your wallets</b>');
  });

  it('an error escaping the bot that is not retryable is logged and answered 200', async () => {
    const h = setup({ app: { bot: { handleUpdate: () => Promise.reject(new RangeError('escaped')) } } });

    expect(await h.handler(webhookEvent(commandUpdate('/help')))).toEqual(OK);
    expect(h.logger.lines).toEqual([
      {
        level: 'error',
        message: 'bot failed outside its error handler',
        fields: { updateId: expect.any(Number), errorName: 'RangeError' },
      },
    ]);
  });

  it('builds the app buildOnce once, and tries again after a failed build', async () => {
    const build = vi.fn().mockRejectedValueOnce(new Error('no secret yet')).mockResolvedValue('app');
    const get = buildOnce(build);

    await expect(get()).rejects.toThrow('no secret yet');
    expect(await get()).toBe('app');
    expect(await get()).toBe('app');
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('RetryableUpdateError names the kind', () => {
    expect(new RetryableUpdateError('ThrottlingException').message).toContain('ThrottlingException');
  });
});
