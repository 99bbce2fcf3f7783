/** Tags of Telegram's HTML parse mode (core.telegram.org/bots/api#html-style); anything else is shown as its text. */
const ALLOWED = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'code',
  'pre',
  'a',
  'blockquote',
  'tg-spoiler',
]);

/**
 * Renders a message in Telegram's HTML parse mode into `target` as DOM nodes: only the allowed tags survive,
 * links only with http(s) or tg: addresses, every other markup becomes text (never innerHTML of bot output).
 */
export function renderTelegramHtml(target: HTMLElement, text: string, parseMode: unknown): void {
  target.replaceChildren();
  if (parseMode !== 'HTML') {
    target.textContent = text;
    return;
  }
  const parsed = new DOMParser().parseFromString(`<body>${text}</body>`, 'text/html');
  for (const node of Array.from(parsed.body.childNodes)) target.append(copyNode(node));
}

function copyNode(node: Node): Node {
  if (node.nodeType !== Node.ELEMENT_NODE) return document.createTextNode(node.textContent ?? '');
  const source = node as Element;
  const name = source.tagName.toLowerCase();
  const isSpoiler = name === 'tg-spoiler' || (name === 'span' && source.classList.contains('tg-spoiler'));
  if (!ALLOWED.has(name) && !isSpoiler) {
    const fragment = document.createDocumentFragment();
    for (const child of Array.from(source.childNodes)) fragment.append(copyNode(child));
    return fragment;
  }
  const element = document.createElement(isSpoiler ? 'span' : name);
  if (isSpoiler) {
    element.className = 'tg-spoiler';
    element.addEventListener('click', () => element.classList.add('shown'));
  }
  if (name === 'a') {
    const href = source.getAttribute('href') ?? '';
    if (/^(https?:|tg:)/i.test(href)) {
      element.setAttribute('href', href);
      element.setAttribute('target', '_blank');
      element.setAttribute('rel', 'noopener noreferrer');
    }
  }
  for (const child of Array.from(source.childNodes)) element.append(copyNode(child));
  return element;
}
