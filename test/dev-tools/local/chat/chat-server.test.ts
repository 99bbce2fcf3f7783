import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTelegram, type FakeTelegram } from '../../../../dev-tools/fake-telegram/index';
import { callsFor, createChatRoutes } from '../../../../dev-tools/local/chat/chat-server';
import { startLambdaHttpHost, type LambdaHttpHost } from '../../../../dev-tools/local/lambda-http-host';

const USER = 4242;
let fake: FakeTelegram;
let host: LambdaHttpHost;

beforeAll(async () => {
  fake = await startFakeTelegram();
  host = await startLambdaHttpHost(0, {}, [
    createChatRoutes({ fake, botToken: '100000:token', miniAppUrl: 'http://127.0.0.1:1/miniapp/' }),
  ]);
});

afterAll(async () => {
  await host?.stop();
  await fake?.stop();
});

async function botCall(method: string, payload: Record<string, unknown>): Promise<unknown> {
  const response = await fetch(`${fake.apiRoot}/bot100000:token/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  return ((await response.json()) as { result: unknown }).result;
}

describe('the chat page routes', () => {
  it('serves the page with the Mini App launch button and the bundled client', async () => {
    const page = await (await fetch(`${host.url}/chat`)).text();
    const script = await fetch(`${host.url}/chat/chat.js`);

    expect(page).toContain('data-url="http://127.0.0.1:1/miniapp/"');
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.text()).length).toBeGreaterThan(1000);
  });

  it('answers the bot’s calls to this chat after an index, with their answers, and leaves out other chats', async () => {
    const start = fake.calls.length;
    await botCall('sendMessage', { chat_id: USER, text: '<b>hi</b>', parse_mode: 'HTML' });
    await botCall('sendMessage', { chat_id: 777, text: 'someone else' });
    await botCall('answerCallbackQuery', { callback_query_id: 'cq1', text: 'Refreshing…' });
    await botCall('getMe', {});

    const page = (await (await fetch(`${host.url}/chat/calls?after=${start}`)).json()) as ReturnType<typeof callsFor>;

    expect(page.next).toBe(start + 4);
    expect(page.calls.map((call) => call.method)).toEqual(['sendMessage', 'answerCallbackQuery']);
    expect(page.calls[0]).toMatchObject({ payload: { text: '<b>hi</b>' }, result: { message_id: expect.any(Number) } });
  });

  it('stops at a call still waiting for its answer, and skips a refused one', () => {
    const calls = [1, 2, 3, 4].map(() => ({ method: 'sendMessage', payload: { chat_id: USER } }));
    const answers = new Map<unknown, { result?: unknown; error?: { error_code: number; description: string } }>([
      [calls[0], { result: { message_id: 1 } }],
      [calls[1], { error: { error_code: 429, description: 'Too Many' } }],
      [calls[3], { result: { message_id: 3 } }],
    ]);

    const page = callsFor(calls, (call) => answers.get(call), USER, 0);

    expect(page).toEqual({
      next: 2,
      calls: [{ index: 0, method: 'sendMessage', payload: { chat_id: USER }, result: { message_id: 1 } }],
    });
  });

  it('signs initData for the page’s user with the local bot token', async () => {
    const answer = (await (await fetch(`${host.url}/chat/init-data`, { method: 'POST' })).json()) as {
      initData: string;
    };
    const fields = new URLSearchParams(answer.initData);

    expect(JSON.parse(fields.get('user')!)).toMatchObject({ id: USER });
    expect(fields.get('hash')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps a photo the bot sent and serves it by its file id', async () => {
    const png = Buffer.concat([Buffer.from([0x89]), Buffer.from('PNG fake')]);
    const form = new FormData();
    form.set('chat_id', String(USER));
    form.set('photo', new Blob([png], { type: 'image/png' }), 'chart.png');
    const sent = (await (
      await fetch(`${fake.apiRoot}/bot100000:token/sendPhoto`, { method: 'POST', body: form })
    ).json()) as {
      result: { photo: { file_id: string }[] };
    };

    const photo = await fetch(`${host.url}/chat/file/${sent.result.photo[0]!.file_id}`);
    const missing = await fetch(`${host.url}/chat/file/nope`);

    expect(photo.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await photo.arrayBuffer()).equals(png)).toBe(true);
    expect(missing.status).toBe(404);
  });
});
