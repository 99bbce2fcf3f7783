import { Context, type MiddlewareFn, type Telegram } from 'telegraf';
import { withOkxAbortSignal } from '../okx/okx-http';
import type { BotContext } from './messages';

/** Named like ky's and AbortSignal.timeout's errors, so the error handler answers "That took too long". */
export class UpdateDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`update not handled within ${deadlineMs} ms`);
    this.name = 'TimeoutError';
  }
}

interface DeadlineState {
  signal?: AbortSignal;
  /** The update's Telegram client without the deadline guard: only the error handler's one notice uses it. */
  noticeTelegram?: Telegram;
}

/** The update's cancel signal (aborted at its deadline); undefined outside `updateDeadline`. */
export function deadlineSignal(ctx: BotContext): AbortSignal | undefined {
  return (ctx.state as DeadlineState).signal;
}

/**
 * The context the error handler tells the user through: after the deadline every Bot API call of the
 * update is refused, except this one notice ("That took too long"), which is the last thing sent.
 */
export function noticeContext(ctx: BotContext): BotContext {
  const telegram = (ctx.state as DeadlineState).noticeTelegram;
  if (!telegram) return ctx;
  return Object.create(ctx, {
    telegram: { value: telegram },
    answerCbQuery: { value: Context.prototype.answerCbQuery },
  }) as BotContext;
}

/**
 * The update's deadline: at `deadlineMs` one AbortSignal cancels the work still running — every OKX
 * request it started (through the OKX abort scope) and every Bot API call (through a guarded client
 * that passes the signal and refuses new calls) — and the update fails with UpdateDeadlineError, which
 * the error handler answers. A result that arrives later is discarded: nothing it tries to send gets out.
 */
export function updateDeadline(deadlineMs: number): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const controller = new AbortController();
    const state = ctx.state as DeadlineState;
    const raw = ctx.telegram;
    const guarded = Object.create(raw) as Telegram;
    guarded.callApi = ((method: never, payload: never, options: { signal?: AbortSignal } = {}) => {
      controller.signal.throwIfAborted();
      return raw.callApi(method, payload, { ...options, signal: controller.signal } as never);
    }) as Telegram['callApi'];
    state.signal = controller.signal;
    state.noticeTelegram = raw;
    (ctx as { telegram: Telegram }).telegram = guarded;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const reason = new UpdateDeadlineError(deadlineMs);
        controller.abort(reason);
        reject(reason);
      }, deadlineMs);
    });
    const work = withOkxAbortSignal(controller.signal, () => next());
    // After the deadline the work's own failure (mostly the abort itself) is no longer anyone's answer.
    work.catch(() => undefined);
    try {
      await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
