import { htmlToPlainText } from './html';

/** Telegram's limit for a message text, in characters (after entity parsing; the raw HTML is a safe bound). */
export const MAX_MESSAGE_LENGTH = 4096;

interface Atom {
  readonly text: string;
  /** For tags: the tag name, and whether it closes. */
  readonly tag?: { readonly name: string; readonly closing: boolean };
}

interface OpenTag {
  readonly name: string;
  readonly raw: string;
}

const ATOM = /<[^>]*>|&[a-zA-Z#0-9]+;|[\s\S]/g;

function tokenize(text: string): Atom[] {
  return (text.match(ATOM) ?? []).map((raw) => {
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)/.exec(raw);
    return tag ? { text: raw, tag: { name: tag[2]!.toLowerCase(), closing: tag[1] === '/' } } : { text: raw };
  });
}

function apply(stack: readonly OpenTag[], atom: Atom): readonly OpenTag[] {
  if (!atom.tag) return stack;
  if (!atom.tag.closing) return [...stack, { name: atom.tag.name, raw: atom.text }];
  const index = stack.map((open) => open.name).lastIndexOf(atom.tag.name);
  return index === -1 ? stack : stack.slice(0, index);
}

const closingTags = (stack: readonly OpenTag[]) => [...stack].reverse().map((open) => `</${open.name}>`).join('');

/**
 * Splits a Telegram HTML message into parts of at most `limit` characters: on a line break where
 * possible, else on a space, else between characters; never inside a tag or an entity. Tags open at a
 * cut are closed at the end of the part and reopened at the start of the next, so each part parses.
 */
export function splitMessage(text: string, limit = MAX_MESSAGE_LENGTH): string[] {
  if (text.length <= limit) return [text];
  const atoms = tokenize(text);
  const parts: string[] = [];
  let start = 0;
  let openAtStart: readonly OpenTag[] = [];
  while (start < atoms.length) {
    const prefix = openAtStart.map((open) => open.raw).join('');
    let length = prefix.length;
    let stack = openAtStart;
    let lineCut: { index: number; stack: readonly OpenTag[] } | undefined;
    let spaceCut: { index: number; stack: readonly OpenTag[] } | undefined;
    let index = start;
    for (; index < atoms.length; index++) {
      const atom = atoms[index]!;
      const next = apply(stack, atom);
      if (length + atom.text.length + closingTags(next).length > limit && index > start) break;
      length += atom.text.length;
      stack = next;
      if (atom.text === '\n') lineCut = { index, stack };
      else if (atom.text === ' ') spaceCut = { index, stack };
    }
    const cut = index >= atoms.length ? { index: atoms.length - 1, stack } : (lineCut ?? spaceCut ?? { index: index - 1, stack });
    const body = atoms
      .slice(start, cut.index + 1)
      .map((atom) => atom.text)
      .join('');
    const part = `${prefix}${body.replace(/\s+$/, '')}${closingTags(cut.stack)}`;
    if (htmlToPlainText(part).trim().length > 0) parts.push(part);
    start = cut.index + 1;
    openAtStart = cut.stack;
  }
  return parts;
}
