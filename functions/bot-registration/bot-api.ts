/**
 * The few Bot API calls the registration makes, over fetch. Not telegraf: its transport errors quote the request
 * URL, and the bot token is in that URL's path (`/bot<token>/<method>`). Every message built here goes through
 * `redactToken`, so an error that reaches CloudFormation, the deploy output or a log line never holds the token.
 */
export interface BotApi {
  call<T = unknown>(method: string, payload?: Record<string, unknown>): Promise<T>;
}

export interface BotApiOptions {
  /** TELEGRAM_API_ROOT, e.g. https://api.telegram.org (the fake Bot API in tests). */
  readonly apiRoot: string;
  readonly token: string;
  /** @default 10 s per call */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Telegram answered `ok: false`. The message says what to check; it never holds the token. */
export class TelegramApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
  ) {
    super(`Telegram refused ${method}: ${errorCode} ${description}${hintFor(errorCode)}`);
    this.name = 'TelegramApiError';
  }
}

/** The Bot API could not be reached, timed out, or answered something that is not a Bot API answer. */
export class TelegramUnreachableError extends Error {
  constructor(method: string, apiRoot: string, reason: string) {
    super(`Could not complete ${method} at the Telegram Bot API ${apiRoot}: ${reason}`);
    this.name = 'TelegramUnreachableError';
  }
}

export const isTelegramApiError = (error: unknown): error is TelegramApiError => error instanceof TelegramApiError;

function hintFor(errorCode: number): string {
  // 401 for a revoked or wrong token, 404 for a malformed one (e.g. the REPLACE_ME placeholder).
  if (errorCode === 401 || errorCode === 404)
    return ' (check botToken in the Telegram secret: run `npm run secrets:set`, then deploy again)';
  return '';
}

/** A Bot API token as BotFather issues it: the bot id, a colon, 35 characters. Matched wherever it appears. */
const TOKEN_SHAPE = /\d{5,}:[\w-]{30,}/g;

/** The text with the token (and anything shaped like one) replaced by `<token>`. */
export function redactToken(text: string, token: string): string {
  const plain = token ? text.split(token).join('<token>') : text;
  return plain.replace(TOKEN_SHAPE, '<token>');
}

export function createBotApi(options: BotApiOptions): BotApi {
  const doFetch = options.fetch ?? fetch;
  const apiRoot = options.apiRoot.replace(/\/+$/, '');
  const redact = (text: string) => redactToken(text, options.token);
  return {
    async call<T>(method: string, payload: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      let text: string;
      try {
        response = await doFetch(`${apiRoot}/bot${options.token}/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
        text = await response.text();
      } catch (error) {
        // Only the error's name and its cause's code: a transport message may quote the URL.
        const code = (error as { cause?: { code?: unknown } }).cause?.code;
        const reason = `${(error as Error).name}${typeof code === 'string' ? ` (${code})` : ''}`;
        throw new TelegramUnreachableError(method, redact(apiRoot), redact(reason));
      }
      const body = parseAnswer(text);
      if (!body)
        throw new TelegramUnreachableError(method, redact(apiRoot), `HTTP ${response.status} without a Bot API answer`);
      if (body.ok !== true)
        throw new TelegramApiError(
          method,
          typeof body.error_code === 'number' ? body.error_code : response.status,
          redact(typeof body.description === 'string' ? body.description : 'no description'),
        );
      return body.result as T;
    },
  };
}

function parseAnswer(
  text: string,
): { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown } | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && 'ok' in parsed
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
