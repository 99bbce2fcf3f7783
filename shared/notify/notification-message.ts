import type { Notification, NotificationButton } from './notification';

/** What travels on the notification queue: the notification and how often Telegram already said "later". */
export interface NotificationEnvelope {
  readonly notification: Notification;
  /** Deliveries put back with a delay after a 429 or a 5xx so far. */
  readonly retries: number;
}

/** A queue body that is not a notification: it fails until the DLQ keeps it. */
export class InvalidNotificationMessageError extends Error {
  constructor(readonly reason: string) {
    super(`invalid notification message: ${reason}`);
    this.name = 'InvalidNotificationMessageError';
  }
}

const CHART_WINDOWS: ReadonlySet<string> = new Set(['24h', '7d', '30d']);

export function encodeNotificationMessage(envelope: NotificationEnvelope): string {
  return JSON.stringify({ v: 1, ...envelope });
}

/** Parses and checks a queue body (only what the sender relies on: ids, a private chat, text, buttons, chart). */
export function decodeNotificationMessage(body: string): NotificationEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new InvalidNotificationMessageError('not JSON');
  }
  const raw = parsed as { v?: unknown; retries?: unknown; notification?: Partial<Notification> } | null;
  if (raw?.v !== 1) throw new InvalidNotificationMessageError('unknown version');
  const notification = raw.notification;
  if (!notification || typeof notification !== 'object') throw new InvalidNotificationMessageError('no notification');
  const { id, userId, chatId, kind, text, buttons, chart } = notification;
  if (typeof id !== 'string' || id.length === 0) throw new InvalidNotificationMessageError('no id');
  if (typeof userId !== 'string' || !/^\d+$/.test(userId)) throw new InvalidNotificationMessageError('bad userId');
  // Personal data only to its owner's private chat: a private chat's id is its user's id.
  if (chatId !== userId) throw new InvalidNotificationMessageError('chat is not the owner’s private chat');
  if (kind !== 'alert' && kind !== 'digest' && kind !== 'execution')
    throw new InvalidNotificationMessageError('bad kind');
  if (typeof text !== 'string' || text.length === 0) throw new InvalidNotificationMessageError('no text');
  if (buttons !== undefined && !isButtonRows(buttons)) throw new InvalidNotificationMessageError('bad buttons');
  if (chart !== undefined && !CHART_WINDOWS.has((chart as { window?: string } | null)?.window ?? ''))
    throw new InvalidNotificationMessageError('bad chart');
  const retries = typeof raw.retries === 'number' && raw.retries >= 0 ? raw.retries : 0;
  return { notification: notification as Notification, retries };
}

function isButtonRows(value: unknown): value is readonly (readonly NotificationButton[])[] {
  return (
    Array.isArray(value) &&
    value.every(
      (row) =>
        Array.isArray(row) &&
        row.every(
          (button: NotificationButton) =>
            typeof button?.text === 'string' &&
            (typeof button.callbackData === 'string') !== (typeof button.url === 'string'),
        ),
    )
  );
}
