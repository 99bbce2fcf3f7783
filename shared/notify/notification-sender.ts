import type { Log } from '../platform/logger';
import type { SharedPacer } from '../platform/dynamo/shared-pacer-store';
import { sleep as realSleep, type Sleep } from '../platform/helpers';
import { htmlToPlainText, splitMessage } from '../platform/telegram/messages';
import {
  isBlockedError,
  isParseEntitiesError,
  readRetryAfter,
  telegramErrorKind,
} from '../platform/telegram/telegram-errors';
import type { DeliveryStore } from './delivery-store';
import type { Notification } from './notification';
import type { NotifyBotApi } from './notify-bot-api';
import type { UserActivityStore } from '../wallets/portfolio-store';

export type ChartWindow = NonNullable<Notification['chart']>['window'];

export interface SenderDeps {
  readonly botApi: NotifyBotApi;
  readonly deliveries: DeliveryStore;
  readonly activity: Pick<UserActivityStore, 'markInactive'>;
  /** Every send of the bot (TELEGRAM_SEND_RATE_PER_SECOND, shared by all containers). */
  readonly pacer: SharedPacer;
  /** One chat's sends (one a second). */
  readonly chatPacer: (chatId: string) => SharedPacer;
  /** The value chart of the user's portfolio, drawn now (the queue carries only the window). */
  readonly drawChart: (userId: string, window: ChartWindow) => Promise<Buffer>;
  readonly now: () => Date;
  readonly logger: Log;
  readonly sleep?: Sleep;
  /** A 429 asking for at most this many seconds is waited out in place; a longer one goes back on the queue. @default 5 */
  readonly maxInlineWaitSeconds?: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'sent'; readonly messages: number }
  /** Another delivery of the same id was sent, is under way or ended in doubt, or the chat was blocked. */
  | { readonly kind: 'duplicate'; readonly state: string }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'dropped'; readonly reason: string }
  | { readonly kind: 'retry-later'; readonly delaySeconds: number; readonly reason: string }
  /** The request may have reached Telegram (transport failure): never sent again (at most once). */
  | { readonly kind: 'in-doubt'; readonly reason: string };

type Part = { readonly kind: 'photo' } | { readonly kind: 'text'; readonly text: string; readonly isLast: boolean };

/** Seconds a 5xx from Telegram puts the notification back for. */
export const SERVER_ERROR_DELAY_SECONDS = 5;
const MAX_INLINE_ATTEMPTS = 3;

/** The chart (when asked for) first, then the text in ≤ 4,096-character parts; the buttons ride on the last. */
export function partsOf(notification: Notification): Part[] {
  const texts = splitMessage(notification.text);
  return [
    ...(notification.chart ? [{ kind: 'photo' as const }] : []),
    ...texts.map((text, index) => ({ kind: 'text' as const, text, isLast: index === texts.length - 1 })),
  ];
}

/**
 * Delivers one notification within Telegram's limits, at most once per id: the delivery record is claimed with a
 * conditional write before the first send and advanced after each part, so a redelivered message never repeats a
 * part. Each send waits for a slot of the bot's pacer and of the chat's. A 429 pauses every sender until its
 * `retry_after`; a short one is waited out here, a long one returns `retry-later` (the handler puts the message
 * back with that delay). A 403 marks the user inactive. A transport failure leaves the record `sending`: the
 * request may have arrived, so it is not sent again.
 */
export async function deliverNotification(
  deps: SenderDeps,
  notification: Notification,
  remainingMs: () => number,
): Promise<DeliveryOutcome> {
  const sleep = deps.sleep ?? realSleep;
  const maxInline = deps.maxInlineWaitSeconds ?? 5;
  const at = () => deps.now().toISOString();
  const { id, userId, chatId } = notification;
  const parts = partsOf(notification);
  let chart: Buffer | undefined;

  const claim = await deps.deliveries.claim(id, userId, at());
  if (claim.status !== 'claimed') return { kind: 'duplicate', state: claim.status };

  const send = async (part: Part, plain = false) => {
    if (part.kind === 'photo') return deps.botApi.sendPhoto(chatId, chart!);
    const text = plain ? htmlToPlainText(part.text) : part.text;
    const buttons = part.isLast ? notification.buttons : undefined;
    return deps.botApi.sendMessage(chatId, text, { html: !plain, ...(buttons ? { buttons } : {}) });
  };

  for (let index = claim.partsSent; index < parts.length; index += 1) {
    const part = parts[index]!;
    if (part.kind === 'photo') chart = await drawOrRelease(deps, notification, index, at);
    for (let attempt = 1; ; attempt += 1) {
      await acquireOrRelease(index);
      const failure = await send(part).then(
        () => undefined,
        (error: unknown) => error,
      );
      if (failure === undefined) break;
      const outcome = await handleFailure(failure, attempt);
      if (outcome === 'retry') continue;
      if (outcome === 'plain') {
        // Our HTML did not parse: the same part once more as plain text, never the same HTML again.
        deps.logger.error('notification did not parse as HTML; sent as plain text', { kind: notification.kind, id });
        const again = await send(part, true).then(
          () => undefined,
          (error: unknown) => error,
        );
        if (again === undefined) break;
        const last = await handleFailure(again, MAX_INLINE_ATTEMPTS);
        if (typeof last === 'object') return finishAs(last, index);
        break;
      }
      return finishAs(outcome, index);
    }
    // The last part's write is the final one.
    if (index + 1 < parts.length) await deps.deliveries.recordProgress(id, index + 1, at());
  }
  await deps.deliveries.finish(id, 'sent', at());
  return { kind: 'sent', messages: parts.length - claim.partsSent };

  /** No slot in time (a congested pacer): the claim is released so the redelivery sends it, then the error fails the record. */
  async function acquireOrRelease(partsSent: number): Promise<void> {
    try {
      await deps.pacer.acquire();
      await deps.chatPacer(chatId).acquire();
    } catch (error) {
      await deps.deliveries.release(id, partsSent, at());
      throw error;
    }
  }

  async function handleFailure(error: unknown, attempt: number): Promise<'retry' | 'plain' | DeliveryOutcome> {
    const retryAfter = readRetryAfter(error);
    if (retryAfter !== undefined) {
      const untilMs = deps.now().getTime() + retryAfter * 1000;
      await deps.pacer.pauseUntil(untilMs);
      const canWait = retryAfter <= maxInline && remainingMs() > retryAfter * 1000 + 10_000;
      if (canWait && attempt < MAX_INLINE_ATTEMPTS) {
        await sleep(retryAfter * 1000);
        return 'retry';
      }
      return { kind: 'retry-later', delaySeconds: Math.max(1, Math.ceil(retryAfter)), reason: 'telegram-429' };
    }
    if (isBlockedError(error)) return { kind: 'blocked' };
    if (isParseEntitiesError(error) && attempt === 1) return 'plain';
    const known = telegramErrorKind(error);
    if (known === undefined) return { kind: 'in-doubt', reason: (error as Error).name };
    if (/^telegram-5\d\d$/.test(known))
      return { kind: 'retry-later', delaySeconds: SERVER_ERROR_DELAY_SECONDS, reason: known };
    return { kind: 'dropped', reason: known };
  }

  async function finishAs(outcome: DeliveryOutcome, partsSent: number): Promise<DeliveryOutcome> {
    if (outcome.kind === 'retry-later') await deps.deliveries.release(id, partsSent, at());
    else if (outcome.kind === 'blocked') {
      await deps.activity.markInactive(userId, at());
      await deps.deliveries.finish(id, 'blocked', at());
    } else if (outcome.kind === 'dropped') await deps.deliveries.finish(id, 'dropped', at());
    // in-doubt: the record stays `sending`, so no later delivery sends it again.
    return outcome;
  }
}

/** A chart that cannot be drawn (DynamoDB unreachable) releases the claim, so the redelivery tries again. */
async function drawOrRelease(
  deps: SenderDeps,
  notification: Notification,
  partsSent: number,
  at: () => string,
): Promise<Buffer> {
  try {
    return await deps.drawChart(notification.userId, notification.chart!.window);
  } catch (error) {
    await deps.deliveries.release(notification.id, partsSent, at());
    throw error;
  }
}
