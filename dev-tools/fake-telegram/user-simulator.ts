import type { Update } from 'telegraf/types';

export interface SimulatedUser {
  readonly userId?: number;
  readonly chatId?: number;
  readonly firstName?: string;
}

export interface DeliveryResult {
  readonly update: Update;
  /** 'webhook' with the HTTP status the webhook answered, or 'queued' for getUpdates. */
  readonly delivered: 'webhook' | 'queued';
  readonly status?: number;
}

export interface UserSimulator {
  /** A user types `text` (a leading "/word" becomes a bot_command entity). */
  sendText(text: string, user?: SimulatedUser): Promise<DeliveryResult>;
  /** A user taps an inline button with this callback_data on message `messageId` of the bot. */
  tapButton(data: string, options?: SimulatedUser & { messageId?: number }): Promise<DeliveryResult>;
  setWebhook(url: string, secretToken: string | undefined): void;
  takeUpdates(offset: number, timeoutSeconds: number): Promise<Update[]>;
  control(path: string, payload: Record<string, unknown>, context: ControlContext): Promise<unknown>;
  close(): void;
}

export interface ControlContext {
  readonly calls: readonly { method: string; payload: Record<string, unknown> }[];
  /** The bot message that last carried a button with this callback_data. */
  readonly findMessageWithButton: (data: string) => number | undefined;
}

export const DEFAULT_USER_ID = 4242;

/**
 * Telegram's chat ids: a private chat has its user's (positive) id, a basic group a negative id, a
 * supergroup or channel a "-100…" id. The fake derives the chat type from the id, so a test can talk
 * to the bot from a group by passing a negative `chatId`.
 */
export function fakeChat(
  chatId: number,
  firstName: string,
): { id: number; type: 'private'; first_name: string } | { id: number; type: 'group' | 'supergroup'; title: string } {
  if (chatId > 0) return { id: chatId, type: 'private', first_name: firstName };
  return { id: chatId, type: chatId <= -1_000_000_000_000 ? 'supergroup' : 'group', title: 'Fake group' };
}

export interface UserSimulatorOptions {
  /**
   * update_id of the first simulated update (default 1). Real Telegram ids only grow; a run that keeps
   * its data (npm start on .data/) must not start again at 1, or the bot drops every update as a duplicate.
   */
  readonly firstUpdateId?: number;
}

export function createUserSimulator(options: UserSimulatorOptions = {}): UserSimulator {
  let nextUpdateId = options.firstUpdateId ?? 1;
  let nextUserMessageId = 1;
  let webhook: { url: string; secretToken?: string } | undefined;
  const queue: Update[] = [];
  let wake: (() => void) | undefined;

  const deliver = async (update: Update): Promise<DeliveryResult> => {
    if (!webhook) {
      queue.push(update);
      wake?.();
      return { update, delivered: 'queued' };
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (webhook.secretToken) headers['x-telegram-bot-api-secret-token'] = webhook.secretToken;
    const response = await fetch(webhook.url, { method: 'POST', headers, body: JSON.stringify(update) });
    await response.arrayBuffer();
    return { update, delivered: 'webhook', status: response.status };
  };

  const people = (user: SimulatedUser = {}) => {
    const id = user.userId ?? DEFAULT_USER_ID;
    const firstName = user.firstName ?? 'Tester';
    return { from: { id, is_bot: false, first_name: firstName }, chat: fakeChat(user.chatId ?? id, firstName) };
  };

  const simulator: UserSimulator = {
    sendText(text, user) {
      const { from, chat } = people(user);
      const command = /^\/\S+/.exec(text);
      const entities = command ? [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] : undefined;
      const message = {
        message_id: nextUserMessageId++,
        date: Math.floor(Date.now() / 1000),
        from,
        chat,
        text,
        ...(entities ? { entities } : {}),
      };
      return deliver({ update_id: nextUpdateId++, message } as Update);
    },
    tapButton(data, options = {}) {
      const { from, chat } = people(options);
      const message = { message_id: options.messageId ?? 1, date: Math.floor(Date.now() / 1000), chat, text: '' };
      return deliver({
        update_id: nextUpdateId++,
        callback_query: { id: `cq${nextUpdateId}`, chat_instance: 'fake', from, message, data },
      } as Update);
    },
    setWebhook(url, secretToken) {
      webhook = url ? { url, ...(secretToken ? { secretToken } : {}) } : undefined;
    },
    async takeUpdates(offset, timeoutSeconds) {
      const ready = () => queue.filter((update) => update.update_id >= offset);
      if (ready().length === 0 && timeoutSeconds > 0)
        await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, timeoutSeconds * 1000).unref()));
      wake = undefined;
      queue.splice(0, queue.length, ...ready());
      return [...queue];
    },
    async control(path, payload, context) {
      const user = { userId: optionalNumber(payload.userId), chatId: optionalNumber(payload.chatId) };
      if (path === '/_fake/send') return simulator.sendText(String(payload.text ?? ''), user);
      if (path === '/_fake/tap') {
        const data = String(payload.data ?? '');
        return simulator.tapButton(data, {
          ...user,
          messageId: optionalNumber(payload.messageId) ?? context.findMessageWithButton(data),
        });
      }
      if (path === '/_fake/calls') return { calls: context.calls };
      return { ok: false, description: 'use /_fake/send {text}, /_fake/tap {data}, /_fake/calls' };
    },
    close() {
      wake?.();
    },
  };
  return simulator;
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}
