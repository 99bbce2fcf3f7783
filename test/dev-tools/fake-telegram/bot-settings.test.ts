import { afterEach, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../dev-tools/fake-telegram/index';

const TOKEN = '4242:fake-token-for-the-settings-test';
let fake: FakeTelegram;
afterEach(async () => fake?.stop());

const start = async (token?: string) => {
  fake = await startFakeTelegram(token ? { token } : {});
  return (method: string, body: unknown = {}, token_ = TOKEN) =>
    fetch(`${fake.apiRoot}/bot${token_}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, body: (await response.json()) as unknown }));
};

describe('fake Bot API: the bot settings the stack registers', () => {
  it('keeps the webhook setWebhook sets, reports it in getWebhookInfo and forgets it on deleteWebhook', async () => {
    const api = await start();

    expect(await api('getWebhookInfo')).toEqual({
      status: 200,
      body: { ok: true, result: { url: '', has_custom_certificate: false, pending_update_count: 0 } },
    });
    await api('setWebhook', {
      url: 'https://abc.execute-api.eu-central-1.amazonaws.com/telegram/webhook',
      secret_token: 'Se_cret-1',
      allowed_updates: ['message', 'callback_query'],
      max_connections: 10,
      drop_pending_updates: false,
    });
    expect((await api('getWebhookInfo')).body).toEqual({
      ok: true,
      result: {
        url: 'https://abc.execute-api.eu-central-1.amazonaws.com/telegram/webhook',
        has_custom_certificate: false,
        pending_update_count: 0,
        max_connections: 10,
        allowed_updates: ['message', 'callback_query'],
      },
    });
    expect(fake.settings.webhook()?.secretToken).toBe('Se_cret-1');

    expect((await api('deleteWebhook', { drop_pending_updates: false })).body).toEqual({ ok: true, result: true });
    expect(fake.settings.webhook()).toBeUndefined();
    expect(fake.calls.map((call) => call.method)).toEqual([
      'getWebhookInfo',
      'setWebhook',
      'getWebhookInfo',
      'deleteWebhook',
    ]);
  });

  it('refuses what Telegram refuses with a 400: plain http, a bad secret token, max_connections above 100', async () => {
    const api = await start();
    const refusal = (description: string) => ({ status: 400, body: { ok: false, error_code: 400, description } });

    expect(await api('setWebhook', { url: 'http://example.com/hook' })).toEqual(
      refusal('Bad Request: bad webhook: An HTTPS URL must be provided for webhook'),
    );
    expect(await api('setWebhook', { url: 'not a url' })).toEqual(
      refusal('Bad Request: invalid webhook URL specified'),
    );
    expect(await api('setWebhook', { url: 'https://example.com/hook', secret_token: 'has space' })).toEqual(
      refusal('Bad Request: secret token contains unallowed characters'),
    );
    expect(await api('setWebhook', { url: 'https://example.com/hook', max_connections: 101 })).toEqual(
      refusal('Bad Request: bad webhook: max_connections must be between 1 and 100'),
    );
    expect(await api('setMyCommands', { commands: [{ command: 'Bad-Command', description: 'x' }] })).toEqual(
      refusal('Bad Request: BOT_COMMAND_INVALID'),
    );
    expect(await api('setMyShortDescription', { short_description: 'x'.repeat(121) })).toEqual(
      refusal('Bad Request: short_description is too long'),
    );
    expect(fake.settings.webhook()).toBeUndefined();
  });

  it('stores commands per scope, the menu button and both descriptions, and answers their getters', async () => {
    const api = await start();
    const commands = [{ command: 'help', description: 'What I can do' }];

    await api('setMyCommands', { commands, scope: { type: 'default' } });
    await api('setChatMenuButton', {
      menu_button: { type: 'web_app', text: 'Open', web_app: { url: 'https://app.example.com' } },
    });
    await api('setMyDescription', { description: 'Long text' });
    await api('setMyShortDescription', { short_description: 'Short' });

    expect((await api('getMyCommands')).body).toEqual({ ok: true, result: commands });
    expect((await api('getMyCommands', { scope: { type: 'all_group_chats' } })).body).toEqual({ ok: true, result: [] });
    expect((await api('getChatMenuButton')).body).toEqual({
      ok: true,
      result: { type: 'web_app', text: 'Open', web_app: { url: 'https://app.example.com' } },
    });
    expect((await api('getMyDescription')).body).toEqual({ ok: true, result: { description: 'Long text' } });
    expect((await api('getMyShortDescription')).body).toEqual({ ok: true, result: { short_description: 'Short' } });
    expect(fake.settings.commands('default')).toEqual(commands);
  });

  it('answers 401 Unauthorized to any other token when started with one', async () => {
    const api = await start(TOKEN);

    expect(await api('getWebhookInfo', {}, '4242:another-token')).toEqual({
      status: 401,
      body: { ok: false, error_code: 401, description: 'Unauthorized' },
    });
    expect((await api('getWebhookInfo')).status).toBe(200);
  });

  it('delivers simulated updates to the webhook set over the Bot API', async () => {
    const api = await start();
    await api('setWebhook', { url: 'http://127.0.0.1:9/telegram/webhook', secret_token: 's' });
    await api('deleteWebhook');

    // Deleted: the update waits for getUpdates instead of going to the (closed) port.
    expect((await fake.sendText('/start')).delivered).toBe('queued');
  });
});
