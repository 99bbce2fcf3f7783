import { clipText, escapeHtml } from '../platform/telegram/messages';
import { telegramErrorKind } from '../platform/telegram/telegram-errors';
import { isDomainError } from '../kernel/errors';

export interface ClassifiedError {
  /** Short, secret-free label for logs. */
  readonly kind: string;
  /** Expected outcome the user caused (bad input): logged at info, not error. */
  readonly isUserError: boolean;
  /** DynamoDB/AWS said "slow down" or "try later": a redelivery of the update can succeed. */
  readonly isTransient: boolean;
  /** HTML for the chat (escaped) and plain text for a callback toast (≤ 200 chars). */
  readonly html: string;
  readonly toast: string;
}

const TRANSIENT_AWS_ERRORS = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
]);

/** Longest domain reason shown in the chat, in characters. */
const MAX_REASON = 600;

const SORRY = 'Sorry, something went wrong on my side. Please try again in a minute.';

/** The one error taxonomy of the bot: what we log and what the user is told. */
export function classifyError(error: unknown): ClassifiedError {
  if (isDomainError(error)) {
    // A reason can quote what the user typed (700 unknown assets): it is cut well inside one message.
    const reason = capitalise(error.reason);
    return {
      kind: error.kind,
      isUserError: true,
      isTransient: false,
      html: `⚠️ ${escapeHtml(clipText(reason, MAX_REASON))}`,
      toast: clipText(reason, 200),
    };
  }
  const name = errorNameOf(error);
  if (name === 'TimeoutError') {
    const text = 'That took too long. Please try again in a minute.';
    return { kind: 'handler-timeout', isUserError: false, isTransient: false, html: text, toast: text };
  }
  const kind = telegramErrorKind(error) ?? name;
  return { kind, isUserError: false, isTransient: TRANSIENT_AWS_ERRORS.has(name), html: SORRY, toast: SORRY };
}

/** The error's class name for logs (never its message, which may carry user input). */
export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
