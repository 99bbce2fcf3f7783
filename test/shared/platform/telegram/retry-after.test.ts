import { describe, expect, it, vi } from 'vitest';
import { withRetryAfter } from '../../../../shared/platform/telegram/messages';
import {
  isBlockedError,
  isMessageNotModifiedError,
  isParseEntitiesError,
  isQueryTooOldError,
  readRetryAfter,
  telegramErrorKind,
} from '../../../../shared/platform/telegram/telegram-errors';

const apiError = (error_code: number, description: string, parameters?: object) =>
  Object.assign(new Error(description), { response: { error_code, description, parameters } });

describe('withRetryAfter', () => {
  it('waits the retry_after Telegram asked for (plus jitter), then sends again', async () => {
    const sleep = vi.fn(async () => {});
    const send = vi
      .fn()
      .mockRejectedValueOnce(apiError(429, 'Too Many Requests: retry after 3', { retry_after: 3 }))
      .mockResolvedValueOnce('sent');

    await expect(withRetryAfter(send, { sleep, jitterMs: () => 100 })).resolves.toBe('sent');

    expect(sleep).toHaveBeenCalledWith(3100);
    expect(send).toHaveBeenCalledTimes(2);
  });

  it('rethrows a wait longer than the webhook can afford, other errors, and after the last attempt', async () => {
    const sleep = vi.fn(async () => {});
    await expect(
      withRetryAfter(() => Promise.reject(apiError(429, 'slow down', { retry_after: 30 })), { sleep }),
    ).rejects.toThrow('slow down');
    await expect(withRetryAfter(() => Promise.reject(apiError(400, 'bad')), { sleep })).rejects.toThrow('bad');
    const always = vi.fn(() => Promise.reject(apiError(429, 'again', { retry_after: 1 })));
    await expect(withRetryAfter(always, { sleep, maxAttempts: 2 })).rejects.toThrow('again');
    expect(always).toHaveBeenCalledTimes(2);
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  it('uses real timers by default', async () => {
    vi.useFakeTimers();
    const send = vi
      .fn()
      .mockRejectedValueOnce(apiError(429, 'wait', { retry_after: 1 }))
      .mockResolvedValueOnce('ok');
    const result = withRetryAfter(send);
    await vi.advanceTimersByTimeAsync(1300);
    await expect(result).resolves.toBe('ok');
    vi.useRealTimers();
  });
});

describe('Telegram error guards', () => {
  it('reads the Bot API refusals we treat specially', () => {
    expect(readRetryAfter(apiError(429, 'x', { retry_after: 5 }))).toBe(5);
    expect(readRetryAfter(apiError(429, 'x'))).toBeUndefined();
    expect(readRetryAfter('not an error')).toBeUndefined();
    expect(isQueryTooOldError(apiError(400, 'Bad Request: query is too old and response timeout expired'))).toBe(true);
    expect(isQueryTooOldError(apiError(400, 'Bad Request: chat not found'))).toBe(false);
    expect(isParseEntitiesError(apiError(400, "Bad Request: can't parse entities"))).toBe(true);
    expect(isParseEntitiesError(apiError(400, undefined as unknown as string))).toBe(false);
    expect(isMessageNotModifiedError(apiError(400, 'Bad Request: message is not modified'))).toBe(true);
    expect(isMessageNotModifiedError(null)).toBe(false);
    expect(isBlockedError(apiError(403, 'Forbidden: bot was blocked by the user'))).toBe(true);
    expect(telegramErrorKind(apiError(502, 'Bad Gateway'))).toBe('telegram-502');
    expect(telegramErrorKind(new Error('plain'))).toBeUndefined();
  });
});
