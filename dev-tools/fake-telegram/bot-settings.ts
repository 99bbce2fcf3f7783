/**
 * The bot's settings as the fake Bot API keeps them: webhook, command lists, menu button, descriptions. Each
 * method takes and answers the fields https://core.telegram.org/bots/api documents, and refuses with a 400
 * what Telegram refuses (checks of the documented limits; the exact wording of Telegram's errors may differ).
 */
export interface FakeWebhook {
  readonly url: string;
  readonly secretToken?: string;
  readonly allowedUpdates?: readonly string[];
  readonly maxConnections: number;
}

export interface FakeBotSettings {
  /** The webhook set with setWebhook (or by the local bridge), undefined after deleteWebhook. */
  webhook(): FakeWebhook | undefined;
  /** Commands per scope type, e.g. `default`, as setMyCommands stored them. */
  commands(scope?: string): readonly { command: string; description: string }[] | undefined;
  menuButton(): Record<string, unknown>;
  description(): string;
  shortDescription(): string;
  setWebhook(url: string, secretToken: string | undefined): void;
  /** The method's result; undefined when the method is not one of these. Throws `FakeBadRequest` to refuse. */
  answer(method: string, payload: Record<string, unknown>): unknown;
}

export class FakeBadRequest extends Error {}

const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const COMMAND = /^[a-z0-9_]{1,32}$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createFakeBotSettings(): FakeBotSettings {
  let webhook: FakeWebhook | undefined;
  const commandLists = new Map<string, { command: string; description: string }[]>();
  let menuButton: Record<string, unknown> = { type: 'default' };
  let description = '';
  let shortDescription = '';

  const setWebhook = (payload: Record<string, unknown>) => {
    const url = String(payload.url ?? '');
    if (url === '') return void (webhook = undefined);
    if (!URL.canParse(url)) throw new FakeBadRequest('Bad Request: invalid webhook URL specified');
    const { protocol, hostname } = new URL(url);
    // Telegram only calls HTTPS; the fake also calls a local http webhook (npm start).
    if (protocol !== 'https:' && !(protocol === 'http:' && LOOPBACK.has(hostname)))
      throw new FakeBadRequest('Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const secretToken = payload.secret_token;
    if (secretToken !== undefined && !(typeof secretToken === 'string' && SECRET_TOKEN.test(secretToken)))
      throw new FakeBadRequest('Bad Request: secret token contains unallowed characters');
    const maxConnections = payload.max_connections === undefined ? 40 : Number(payload.max_connections);
    if (!(Number.isInteger(maxConnections) && maxConnections >= 1 && maxConnections <= 100))
      throw new FakeBadRequest('Bad Request: bad webhook: max_connections must be between 1 and 100');
    const allowed = payload.allowed_updates;
    if (allowed !== undefined && !(Array.isArray(allowed) && allowed.every((type) => typeof type === 'string')))
      throw new FakeBadRequest("Bad Request: can't parse allowed updates");
    webhook = {
      url,
      ...(typeof secretToken === 'string' ? { secretToken } : {}),
      ...(allowed ? { allowedUpdates: allowed as string[] } : {}),
      maxConnections,
    };
  };

  const setCommands = (payload: Record<string, unknown>) => {
    const commands = payload.commands;
    if (!Array.isArray(commands) || commands.length > 100)
      throw new FakeBadRequest('Bad Request: commands must be an array of at most 100 BotCommand');
    for (const entry of commands as { command?: unknown; description?: unknown }[]) {
      if (typeof entry.command !== 'string' || !COMMAND.test(entry.command))
        throw new FakeBadRequest('Bad Request: BOT_COMMAND_INVALID');
      if (typeof entry.description !== 'string' || entry.description.length < 1 || entry.description.length > 256)
        throw new FakeBadRequest('Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
    }
    commandLists.set(scopeOf(payload), commands as { command: string; description: string }[]);
  };

  const setMenuButton = (payload: Record<string, unknown>) => {
    const button = (payload.menu_button ?? { type: 'default' }) as Record<string, unknown>;
    if (button.type === 'web_app') {
      const url = (button.web_app as { url?: unknown } | undefined)?.url;
      if (typeof button.text !== 'string' || typeof url !== 'string' || !url.startsWith('https://'))
        throw new FakeBadRequest('Bad Request: BUTTON_URL_INVALID');
    } else if (button.type !== 'commands' && button.type !== 'default')
      throw new FakeBadRequest('Bad Request: unsupported menu button type');
    menuButton = button;
  };

  const text = (payload: Record<string, unknown>, key: string, max: number) => {
    const value = String(payload[key] ?? '');
    if (value.length > max) throw new FakeBadRequest(`Bad Request: ${key} is too long`);
    return value;
  };

  const methods: Record<string, (payload: Record<string, unknown>) => unknown> = {
    setWebhook: (payload) => (setWebhook(payload), true),
    deleteWebhook: () => ((webhook = undefined), true),
    getWebhookInfo: () =>
      webhook
        ? {
            url: webhook.url,
            has_custom_certificate: false,
            pending_update_count: 0,
            max_connections: webhook.maxConnections,
            ...(webhook.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
          }
        : { url: '', has_custom_certificate: false, pending_update_count: 0 },
    setMyCommands: (payload) => (setCommands(payload), true),
    getMyCommands: (payload) => commandLists.get(scopeOf(payload)) ?? [],
    deleteMyCommands: (payload) => (commandLists.delete(scopeOf(payload)), true),
    setChatMenuButton: (payload) => (setMenuButton(payload), true),
    getChatMenuButton: () => menuButton,
    setMyDescription: (payload) => ((description = text(payload, 'description', 512)), true),
    getMyDescription: () => ({ description }),
    setMyShortDescription: (payload) => ((shortDescription = text(payload, 'short_description', 120)), true),
    getMyShortDescription: () => ({ short_description: shortDescription }),
  };

  return {
    webhook: () => webhook,
    commands: (scope = 'default') => commandLists.get(scope),
    menuButton: () => menuButton,
    description: () => description,
    shortDescription: () => shortDescription,
    setWebhook: (url, secretToken) => setWebhook({ url, ...(secretToken ? { secret_token: secretToken } : {}) }),
    answer: (method, payload) => (Object.hasOwn(methods, method) ? methods[method]!(payload) : undefined),
  };
}

function scopeOf(payload: Record<string, unknown>): string {
  return String((payload.scope as { type?: unknown } | undefined)?.type ?? 'default');
}
