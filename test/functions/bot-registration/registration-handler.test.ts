import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';
import { createRegistrationHandler, type RegistrationDeps } from '../../../functions/bot-registration/handler';
import { createMemoryLogger, type MemoryLogger } from '../../support/memory-logger';
import { createEvent, deleteEvent, TEMPLATE_PROPERTIES, updateEvent, WEBHOOK_URL } from './registration-events';

const TOKEN = '7012345678:AAH-real-looking-token_0123456789abcdefXYZ';
const WEBHOOK_SECRET = 'Wh00kSecretGeneratedBySecretsManager48chars000000';
const COMMANDS = [
  { command: 'portfolio', description: 'Total value' },
  { command: 'help', description: 'What I can do' },
];

/** A local port nothing listens on (port 1 would be refused by fetch itself as a "bad port"). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let fake: FakeTelegram;
let logger: MemoryLogger;
let getCredentials: ReturnType<typeof vi.fn<RegistrationDeps['getCredentials']>>;

beforeAll(async () => {
  fake = await startFakeTelegram({ token: TOKEN });
});
afterAll(async () => fake.stop());
beforeEach(() => {
  fake.calls.length = 0;
  logger = createMemoryLogger();
  getCredentials = vi.fn(async () => ({ botToken: TOKEN, webhookSecret: WEBHOOK_SECRET }));
});

const handlerWith = (overrides: Partial<RegistrationDeps> = {}) =>
  createRegistrationHandler({ getCredentials, apiRoot: fake.apiRoot, logger, ...overrides });
const methods = () => fake.calls.map((call) => call.method);
const noTokenAnywhere = () => {
  expect(JSON.stringify(logger.lines)).not.toContain(TOKEN);
  expect(JSON.stringify(logger.lines)).not.toContain(WEBHOOK_SECRET);
};

describe('bot registration: Create', () => {
  it('registers the commands, the menu button, both descriptions and then the webhook, with the exact payloads', async () => {
    const response = await handlerWith()(createEvent());

    expect(response).toEqual({
      PhysicalResourceId: 'telegram-bot-registration',
      Data: { WebhookUrl: WEBHOOK_URL, Registered: 'true' },
    });
    expect(fake.calls).toEqual([
      { method: 'setMyCommands', payload: { commands: COMMANDS, scope: { type: 'default' } } },
      { method: 'setChatMenuButton', payload: { menu_button: { type: 'commands' } } },
      { method: 'setMyDescription', payload: { description: 'I track your wallets.' } },
      { method: 'setMyShortDescription', payload: { short_description: 'Portfolio tracker.' } },
      {
        method: 'setWebhook',
        payload: {
          url: WEBHOOK_URL,
          secret_token: WEBHOOK_SECRET,
          allowed_updates: ['message', 'callback_query'],
          max_connections: 10,
          drop_pending_updates: false,
        },
      },
    ]);
    expect(fake.settings.webhook()).toEqual({
      url: WEBHOOK_URL,
      secretToken: WEBHOOK_SECRET,
      allowedUpdates: ['message', 'callback_query'],
      maxConnections: 10,
    });
    noTokenAnywhere();
  });

  it('puts the Mini App behind the menu button when its URL is given', async () => {
    await handlerWith()(
      createEvent({
        ...TEMPLATE_PROPERTIES,
        MiniAppUrl: 'https://app.example.com/esther',
        MenuButtonText: 'Portfolio',
      }),
    );

    expect(fake.settings.menuButton()).toEqual({
      type: 'web_app',
      text: 'Portfolio',
      web_app: { url: 'https://app.example.com/esther' },
    });
  });

  it('skips the registration, without failing the first deploy, while the secret holds the placeholder token', async () => {
    const placeholder = vi.fn(async () => ({ botToken: 'REPLACE_ME', webhookSecret: WEBHOOK_SECRET }));

    const response = await handlerWith({ getCredentials: placeholder })(createEvent());

    expect(fake.calls).toEqual([]);
    expect(response).toEqual({
      PhysicalResourceId: 'telegram-bot-registration',
      Data: { WebhookUrl: WEBHOOK_URL, Registered: 'false' },
    });
    expect(logger.entries()).toContainEqual(
      expect.objectContaining({ level: 'WARN', message: 'bot token is still the placeholder: registration skipped' }),
    );
  });
});

describe('bot registration: Update', () => {
  it('makes no Telegram call and reads no secret when no property changed (a new ServiceToken aside)', async () => {
    const event = updateEvent(TEMPLATE_PROPERTIES);
    (event.ResourceProperties as Record<string, unknown>).ServiceToken = 'arn:aws:lambda:eu-central-1:1:function:new';

    const response = await handlerWith()(event);

    expect(fake.calls).toEqual([]);
    expect(getCredentials).not.toHaveBeenCalled();
    expect(response.PhysicalResourceId).toBe('telegram-bot-registration');
  });

  it('sends only setWebhook, with the new URL, when the webhook URL changed', async () => {
    const url = 'https://xyz789.execute-api.eu-central-1.amazonaws.com/telegram/webhook';

    const response = await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, WebhookUrl: url }));

    expect(methods()).toEqual(['setWebhook']);
    expect(fake.calls[0]!.payload).toMatchObject({ url, secret_token: WEBHOOK_SECRET });
    expect(response).toEqual({
      PhysicalResourceId: 'telegram-bot-registration',
      Data: { WebhookUrl: url, Registered: 'true' },
    });
  });

  it('sends only what changed: the commands, the menu button, one description', async () => {
    const commands = [...TEMPLATE_PROPERTIES.Commands, { Command: 'report', Description: 'Performance' }];
    await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, Commands: commands }));
    await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, MiniAppUrl: 'https://app.example.com' }));
    await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, ShortDescription: 'Shorter.' }));
    await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, MaxConnections: 20 }));

    expect(methods()).toEqual(['setMyCommands', 'setChatMenuButton', 'setMyShortDescription', 'setWebhook']);
    expect(fake.calls[0]!.payload.commands).toEqual([...COMMANDS, { command: 'report', description: 'Performance' }]);
    expect(fake.calls[1]!.payload).toEqual({
      menu_button: { type: 'web_app', text: 'Open', web_app: { url: 'https://app.example.com' } },
    });
    expect(fake.calls[3]!.payload.max_connections).toBe(20);
  });

  it('registers everything again when the secret version changed (a rotated webhook secret or token)', async () => {
    await handlerWith()(updateEvent({ ...TEMPLATE_PROPERTIES, SecretVersion: 'v2' }, TEMPLATE_PROPERTIES));

    expect(methods()).toEqual([
      'setMyCommands',
      'setChatMenuButton',
      'setMyDescription',
      'setMyShortDescription',
      'setWebhook',
    ]);
  });

  it('registers everything when the old properties cannot be read (an older contract)', async () => {
    await handlerWith()(updateEvent(TEMPLATE_PROPERTIES, { WebhookUrl: WEBHOOK_URL }));

    expect(methods()).toHaveLength(5);
  });
});

describe('bot registration: Delete', () => {
  it('deletes the webhook while it is this stack’s, keeping pending updates, and keeps the physical id', async () => {
    fake.setWebhook(WEBHOOK_URL, WEBHOOK_SECRET);

    const response = await handlerWith()(deleteEvent());

    expect(fake.calls).toEqual([
      { method: 'getWebhookInfo', payload: {} },
      { method: 'deleteWebhook', payload: { drop_pending_updates: false } },
    ]);
    expect(fake.settings.webhook()).toBeUndefined();
    expect(response).toEqual({ PhysicalResourceId: 'telegram-bot-registration' });
  });

  it('leaves a webhook another deployment set since, and succeeds when there is none', async () => {
    const other = 'https://prod111.execute-api.eu-central-1.amazonaws.com/telegram/webhook';
    fake.setWebhook(other, 'other');
    await handlerWith()(deleteEvent());
    fake.setWebhook('', undefined);
    await handlerWith()(deleteEvent());

    expect(methods()).toEqual(['getWebhookInfo', 'getWebhookInfo']);
    expect(logger.entries().map((entry) => entry.outcome)).toEqual(['not-ours', 'absent']);
  });

  it('never fails: a revoked token, an unreachable API or an unreadable secret only log a warning', async () => {
    fake.setWebhook(WEBHOOK_URL, WEBHOOK_SECRET);
    const revoked = vi.fn(async () => ({
      botToken: '7012345678:AAH-revoked-token_0123456789abcdefXYZ',
      webhookSecret: 'x',
    }));

    await expect(handlerWith({ getCredentials: revoked })(deleteEvent())).resolves.toEqual({
      PhysicalResourceId: 'telegram-bot-registration',
    });
    await expect(
      handlerWith({ apiRoot: `http://127.0.0.1:${await closedPort()}` })(deleteEvent()),
    ).resolves.toBeDefined();
    const unreadable = vi.fn(async () => {
      throw new Error('secret arn:aws:secretsmanager:… is unavailable (access-denied)');
    });
    await expect(handlerWith({ getCredentials: unreadable })(deleteEvent())).resolves.toBeDefined();

    expect(fake.settings.webhook()?.url).toBe(WEBHOOK_URL);
    expect(logger.entries().map((entry) => [entry.level, entry.errorName])).toEqual([
      ['WARN', 'TelegramApiError'],
      ['WARN', 'TelegramUnreachableError'],
      ['WARN', 'Error'],
    ]);
    expect(logger.entries()[0]!.reason).toBe(
      'Telegram refused getWebhookInfo: 401 Unauthorized (check botToken in the Telegram secret: run `npm run secrets:set`, then deploy again)',
    );
    expect(JSON.stringify(logger.lines)).not.toContain('AAH-revoked-token');
  });
});

describe('bot registration: Telegram says no', () => {
  it('fails the deployment on a wrong token with a message that says what to check and holds no token', async () => {
    const wrong = '7012345678:AAH-wrong-token_0123456789abcdefXYZ000';
    const handler = handlerWith({ getCredentials: async () => ({ botToken: wrong, webhookSecret: WEBHOOK_SECRET }) });

    const failure = await handler(createEvent()).catch((error: unknown) => error as Error);

    expect(failure).toMatchObject({
      name: 'BotRegistrationError',
      message:
        'Telegram bot registration failed: Telegram refused setMyCommands: 401 Unauthorized (check botToken in the Telegram secret: run `npm run secrets:set`, then deploy again)',
    });
    expect(`${failure.message}${failure.stack}`).not.toContain('AAH-wrong-token');
    // The first refusal stops the registration: the webhook was never pointed anywhere.
    expect(methods()).toEqual(['setMyCommands']);
    expect(logger.entries()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'bot registration failed', errorName: 'TelegramApiError' }),
    );
  });

  it('fails with Telegram’s description of a bad webhook, any token in it replaced', async () => {
    fake.failNext('setWebhook', {
      error_code: 400,
      description: `Bad Request: bad webhook: Failed to resolve host for https://api.telegram.org/bot${TOKEN}/x`,
    });

    const failure = await handlerWith()(createEvent()).catch((error: unknown) => error as Error);

    expect(failure.message).toBe(
      'Telegram bot registration failed: Telegram refused setWebhook: 400 Bad Request: bad webhook: Failed to resolve host for https://api.telegram.org/bot<token>/x',
    );
    noTokenAnywhere();
  });

  it('fails readably when the Bot API cannot be reached or answers something else', async () => {
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await handlerWith({ apiRoot: closed })(createEvent()).catch((error: unknown) => error as Error);
    const html = await handlerWith({
      fetch: async () => new Response('<html>502 Bad Gateway</html>', { status: 502 }),
    })(createEvent()).catch((error: unknown) => error as Error);

    expect(unreachable.message).toBe(
      `Telegram bot registration failed: Could not complete setMyCommands at the Telegram Bot API ${closed}: TypeError (ECONNREFUSED)`,
    );
    expect(html.message).toBe(
      `Telegram bot registration failed: Could not complete setMyCommands at the Telegram Bot API ${fake.apiRoot}: HTTP 502 without a Bot API answer`,
    );
    noTokenAnywhere();
  });

  it('fails on properties it cannot use before calling Telegram', async () => {
    const failure = await handlerWith()(
      createEvent({ ...TEMPLATE_PROPERTIES, WebhookUrl: 'http://plain.example.com' }),
    ).catch((error: unknown) => error as Error);

    expect(failure.message).toBe(
      'Invalid bot registration property WebhookUrl: expected an https URL, got "http://plain.example.com"',
    );
    expect(fake.calls).toEqual([]);
  });
});
