/**
 * Telegram's sending limits, as its Bots FAQ states them ("How can I message all of my bot's subscribers at
 * once?", core.telegram.org/bots/faq): in one chat "avoid sending more than one message per second. We may allow
 * short bursts that go over this limit, but eventually you'll begin receiving 429 errors"; for bulk notifications
 * "the API will not allow more than 30 messages per second or so". The fake enforces them as a rolling second
 * for the whole bot and a token bucket per chat (a short burst, then one a second), and answers like the Bot API:
 * 429 `Too Many Requests: retry after N` with `parameters.retry_after`.
 */
export interface SendLimits {
  /** Messages in any rolling second, all chats together. @default 30 */
  readonly perSecond?: number;
  /** Messages a chat may send in a burst before the one-a-second rate applies. @default 3 */
  readonly chatBurst?: number;
  /** The chat's sustained rate. @default 1 */
  readonly chatPerSecond?: number;
}

export interface LimitRefusal {
  readonly error_code: 429;
  readonly description: string;
  readonly parameters: { readonly retry_after: number };
}

/** The methods that put a message in a chat (what the limits count). */
export const SENDING_METHODS: ReadonlySet<string> = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
]);

export function createSendLimiter(limits: SendLimits, now: () => number = Date.now) {
  const perSecond = limits.perSecond ?? 30;
  const burst = limits.chatBurst ?? 3;
  const chatRate = limits.chatPerSecond ?? 1;
  const recent: number[] = [];
  const chats = new Map<string, { tokens: number; at: number }>();

  const refuse = (seconds: number): LimitRefusal => {
    const retryAfter = Math.max(1, Math.ceil(seconds));
    return {
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      parameters: { retry_after: retryAfter },
    };
  };

  return {
    /** Counts a send and answers the refusal Telegram would give, if any (a refused send is not counted). */
    check(chatId: string): LimitRefusal | undefined {
      const at = now();
      while (recent.length > 0 && recent[0]! <= at - 1000) recent.shift();
      if (recent.length >= perSecond) return refuse((recent[0]! + 1000 - at) / 1000);
      const chat = chats.get(chatId) ?? { tokens: burst, at };
      const tokens = Math.min(burst, chat.tokens + ((at - chat.at) / 1000) * chatRate);
      if (tokens < 1) {
        chats.set(chatId, { tokens, at });
        return refuse((1 - tokens) / chatRate);
      }
      chats.set(chatId, { tokens: tokens - 1, at });
      recent.push(at);
      return undefined;
    },
  };
}
