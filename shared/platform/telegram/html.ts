const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes a dynamic value for Telegram's HTML parse mode (the four characters it treats specially). */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"]/g, (char) => HTML_ESCAPES[char]!);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/** Plain-text rendering of a Telegram HTML message: tags dropped, entities decoded (the fallback after a parse error). */
export function htmlToPlainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot);/g, (_, name: string) => ENTITIES[name]!);
}

/** Cuts plain text to at most `max` characters (code points, so no emoji is split), marking the cut with "…". */
export function clipText(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Longest piece of user input the bot ever echoes back. */
export const MAX_ECHOED_INPUT = 40;

/**
 * The one way user input (a name, a chain word, an asset) is echoed into an HTML reply: a short excerpt,
 * escaped, so no input can push a reply past Telegram's 4096 characters or break its HTML.
 */
export function inputExcerpt(value: string, max = MAX_ECHOED_INPUT): string {
  return escapeHtml(clipText(value, max));
}
