/**
 * Reading the Bot API's refusals. telegraf throws a TelegramError carrying the API's `response`
 * (`error_code`, `description`, `parameters`); these guards read it structurally.
 */
interface ApiErrorShape {
  readonly response?: {
    readonly error_code?: number;
    readonly description?: string;
    readonly parameters?: { readonly retry_after?: number };
  };
}

function apiResponse(error: unknown): ApiErrorShape['response'] {
  return typeof error === 'object' && error !== null ? (error as ApiErrorShape).response : undefined;
}

/** Seconds Telegram asked us to wait (429 Too Many Requests), or undefined for any other error. */
export function readRetryAfter(error: unknown): number | undefined {
  const response = apiResponse(error);
  const seconds = response?.parameters?.retry_after;
  return response?.error_code === 429 && typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
}

/** `answerCallbackQuery` too late or twice: harmless, the user just sees the spinner stop. */
export function isQueryTooOldError(error: unknown): boolean {
  const response = apiResponse(error);
  return response?.error_code === 400 && /query is too old|query id is invalid/i.test(response.description ?? '');
}

/** Our HTML did not parse: never retried unchanged. */
export function isParseEntitiesError(error: unknown): boolean {
  const response = apiResponse(error);
  return response?.error_code === 400 && /can't parse entities/i.test(response.description ?? '');
}

/** Editing a message to exactly what it already shows (e.g. Refresh with unchanged data). */
export function isMessageNotModifiedError(error: unknown): boolean {
  const response = apiResponse(error);
  return response?.error_code === 400 && /message is not modified/i.test(response.description ?? '');
}

/** 403: the user blocked the bot or left the chat; nothing we send will arrive. */
export function isBlockedError(error: unknown): boolean {
  return apiResponse(error)?.error_code === 403;
}

/** A short, secret-free label for logs: "telegram-429", "telegram-400". */
export function telegramErrorKind(error: unknown): string | undefined {
  const code = apiResponse(error)?.error_code;
  return typeof code === 'number' ? `telegram-${code}` : undefined;
}
