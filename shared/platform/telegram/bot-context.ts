import type { Context } from 'telegraf';

/** The context every feature and middleware receives. */
export type BotContext = Context;

/** The words after the command: "/target ETH 50" -> ["ETH", "50"]. */
export function commandArgs(ctx: BotContext): string[] {
  const text = ctx.text ?? '';
  return text.trim().split(/\s+/).slice(1);
}

/** The acting user: callbacks and commands only ever touch this user's own data (the privacy guard lets no update without one through). */
export function userIdOf(ctx: BotContext): string {
  return String(ctx.from!.id);
}
