/**
 * What the bot sends first (issue 14): alerts after a sync and the digest. Producers (the alert evaluation in
 * the worker, the digest job) put `Notification`s into a `NotificationOutbox` (an SQS queue in AWS, the local loop's
 * queue on `npm start`); the sender function delivers them within Telegram's limits. A notification is sent at most
 * once per `id` (the sender's idempotency key), and only ever to the owner's private chat (`chatId` is the user id).
 */
export interface NotificationButton {
  readonly text: string;
  /** Exactly one of these. */
  readonly callbackData?: string;
  readonly url?: string;
}

export interface Notification {
  /** Idempotency key, stable for one event (e.g. `alert#<userId>#<rule>#<episodeStart>`, `digest#<userId>#<localDate>`). */
  readonly id: string;
  readonly userId: string;
  /** The owner's private chat (Telegram: the same number as the user id). */
  readonly chatId: string;
  /** 'execution': a signed rebalance settled (issue 13). */
  readonly kind: 'alert' | 'digest' | 'execution';
  /** Telegram HTML (escaped by the producer), at most 4,096 characters. */
  readonly text: string;
  readonly buttons?: readonly (readonly NotificationButton[])[];
  /** A chart to send with the text, drawn by the sender at delivery time (keeps queue messages small). */
  readonly chart?: { readonly window: '24h' | '7d' | '30d' };
}

export interface NotificationOutbox {
  send(notifications: readonly Notification[]): Promise<void>;
}
