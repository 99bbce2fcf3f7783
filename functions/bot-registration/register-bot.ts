import type { BotApi } from './bot-api';
import type { BotRegistration, RegistrationPart } from './registration-properties';

/** The Bot API call of each part (https://core.telegram.org/bots/api). */
function callOf(
  part: RegistrationPart,
  registration: BotRegistration,
  webhookSecret: string,
): { method: string; payload: Record<string, unknown> } {
  switch (part) {
    case 'commands':
      // The default scope: every chat without a narrower list, private chats included.
      return { method: 'setMyCommands', payload: { commands: registration.commands, scope: { type: 'default' } } };
    case 'menuButton':
      // No chat_id: the bot's default button, shown in every private chat.
      return {
        method: 'setChatMenuButton',
        payload: {
          menu_button: registration.miniApp
            ? { type: 'web_app', text: registration.miniApp.buttonText, web_app: { url: registration.miniApp.url } }
            : { type: 'commands' },
        },
      };
    case 'description':
      return { method: 'setMyDescription', payload: { description: registration.description } };
    case 'shortDescription':
      return { method: 'setMyShortDescription', payload: { short_description: registration.shortDescription } };
    case 'webhook':
      return {
        method: 'setWebhook',
        payload: {
          url: registration.webhookUrl,
          secret_token: webhookSecret,
          allowed_updates: registration.allowedUpdates,
          max_connections: registration.maxConnections,
          // Updates that waited during a deploy are still delivered; the webhook drops duplicates by update_id.
          drop_pending_updates: false,
        },
      };
  }
}

/** Sends the parts in order; the first refusal stops it (the error names the method, never the token). */
export async function registerParts(
  api: BotApi,
  registration: BotRegistration,
  webhookSecret: string,
  parts: readonly RegistrationPart[],
): Promise<void> {
  for (const part of parts) {
    const { method, payload } = callOf(part, registration, webhookSecret);
    await api.call(method, payload);
  }
}

export interface WebhookInfo {
  readonly url: string;
  readonly pending_update_count: number;
}

/**
 * Removes the webhook only while it still points at this stack's URL: a webhook another deployment has set
 * since (a replaced API, another stage on the same bot) is left alone. Returns what it did.
 */
export async function removeWebhook(api: BotApi, webhookUrl: string): Promise<'deleted' | 'absent' | 'not-ours'> {
  const info = await api.call<WebhookInfo>('getWebhookInfo');
  if (info.url === '') return 'absent';
  if (info.url !== webhookUrl) return 'not-ours';
  await api.call('deleteWebhook', { drop_pending_updates: false });
  return 'deleted';
}
