import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { SECRET_HEADER, WEBHOOK_PATH } from '../../functions/telegram-webhook/handler';

// What the Report bench sends the webhook, and the Bot API answering in process.

/** The Bot API answered in process (like test/shared/bot/bot-harness.ts), recording the methods and photo sizes. */
export function stubBotApi(userId: string): { method: string; photoBytes: number }[] {
  const sent: { method: string; photoBytes: number }[] = [];
  let messageId = 1000;
  Telegram.prototype.callApi = async function (method: string, payload: Record<string, unknown>) {
    const photo = payload.photo as { source?: Buffer } | undefined;
    sent.push({ method, photoBytes: photo?.source?.length ?? 0 });
    if (method.startsWith('send'))
      return { message_id: ++messageId, date: 0, chat: { id: Number(userId), type: 'private' } };
    return true;
  } as never;
  return sent;
}

export function webhookEvent(update: Update, secret: string): APIGatewayProxyEventV2 {
  return {
    rawPath: WEBHOOK_PATH,
    headers: { [SECRET_HEADER]: secret },
    requestContext: { http: { method: 'POST', sourceIp: '127.0.0.1' } },
    body: JSON.stringify(update),
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

/** Updates from a private chat with `userId`, as Telegram posts them to the webhook. */
export function commandUpdate(userId: string, updateId: number, text: string): Update {
  const { chat, from } = sender(userId);
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: 0,
      chat,
      from,
      text,
      entities: [{ type: 'bot_command', offset: 0, length: text.length }],
    },
  } as Update;
}

export function callbackUpdate(userId: string, updateId: number, data: string): Update {
  const { chat, from } = sender(userId);
  return {
    update_id: updateId,
    callback_query: {
      id: `cb${updateId}`,
      chat_instance: 'bench',
      from,
      message: { message_id: 42, date: 0, chat, text: 'report' },
      data,
    },
  } as Update;
}

function sender(userId: string) {
  return {
    chat: { id: Number(userId), type: 'private', first_name: 'Bench' },
    from: { id: Number(userId), is_bot: false, first_name: 'Bench' },
  };
}
