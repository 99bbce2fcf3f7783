import { createMiniAppHost } from './mini-app-host';
import { renderTelegramHtml } from './telegram-html';
import type { ThemeName } from './themes';

/** The local chat page in the browser: what the person types or taps goes to the bot; what the bot sent is drawn. */
interface Call {
  readonly index: number;
  readonly method: string;
  readonly payload: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
}

interface Button {
  readonly text: string;
  readonly callback_data?: string;
  readonly url?: string;
  readonly web_app?: { readonly url: string };
}

const messages = document.getElementById('messages') as HTMLOListElement;
const input = document.getElementById('input') as HTMLInputElement;
const toast = document.getElementById('toast')!;
const menuButton = document.getElementById('menu-button') as HTMLButtonElement;
const root = document.documentElement;

let theme: ThemeName =
  new URLSearchParams(location.search).get('theme') === 'dark' ||
  (!location.search.includes('theme=') && matchMedia('(prefers-color-scheme: dark)').matches)
    ? 'dark'
    : 'light';
root.dataset.theme = theme;
const host = createMiniAppHost(() => theme);

const openApp = document.getElementById('open-app');
openApp?.addEventListener('click', () => void host.open(openApp.dataset.url!, 'Esther'));

/** Telegram's theme is the whole app's: the chat and the Mini App switch together (a toggle on each header). */
const toggleTheme = () => {
  theme = theme === 'dark' ? 'light' : 'dark';
  root.dataset.theme = theme;
  host.setTheme(theme);
};
document.getElementById('theme-toggle')!.addEventListener('click', toggleTheme);
document.getElementById('app-theme')!.addEventListener('click', toggleTheme);

document.getElementById('composer')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = '';
  addMessage({ out: true, text });
  void post('/chat/send', { text }).then(poll);
});

let after = 0;
let polling: Promise<void> | undefined;

/** One poll at a time; a send or tap asks for one more as soon as the bot has answered. */
function poll(): Promise<void> {
  polling ??= (async () => {
    try {
      const response = await fetch(`/chat/calls?after=${after}`);
      const batch = (await response.json()) as { next: number; calls: Call[] };
      for (const call of batch.calls) apply(call);
      after = batch.next;
    } finally {
      polling = undefined;
    }
  })();
  return polling;
}
setInterval(() => void poll().catch(() => undefined), 500);

function apply(call: Call): void {
  const { payload, result } = call;
  const messageId = Number(payload.message_id ?? result?.message_id);
  switch (call.method) {
    case 'sendMessage':
      addMessage({
        messageId,
        text: String(payload.text ?? ''),
        parseMode: payload.parse_mode,
        markup: payload.reply_markup,
      });
      return;
    case 'sendPhoto': {
      const photo = (result?.photo as { file_id: string }[] | undefined)?.[0];
      addMessage({
        messageId,
        text: String(payload.caption ?? ''),
        parseMode: payload.parse_mode,
        markup: payload.reply_markup,
        photo: photo ? `/chat/file/${photo.file_id}` : undefined,
      });
      return;
    }
    case 'editMessageText': {
      const item = findMessage(messageId);
      if (!item) return;
      renderTelegramHtml(item.querySelector<HTMLElement>('.text')!, String(payload.text ?? ''), payload.parse_mode);
      // Telegram drops the inline keyboard of an edit that carries none.
      renderKeyboard(item, messageId, payload.reply_markup);
      if (!item.querySelector('.edited')) item.querySelector('.bubble')!.append(editedMark());
      item.dataset.edited = 'true';
      return;
    }
    case 'editMessageReplyMarkup': {
      const item = findMessage(messageId);
      if (item) renderKeyboard(item, messageId, payload.reply_markup);
      return;
    }
    case 'deleteMessage':
      findMessage(messageId)?.remove();
      return;
    case 'answerCallbackQuery':
      if (payload.text) showToast(String(payload.text), payload.show_alert === true);
      return;
    case 'setChatMenuButton':
      setMenuButton(payload.menu_button as { type?: string; text?: string; web_app?: { url: string } } | undefined);
      return;
  }
}

interface NewMessage {
  readonly out?: boolean;
  readonly messageId?: number;
  readonly text: string;
  readonly parseMode?: unknown;
  readonly markup?: unknown;
  readonly photo?: string;
}

function addMessage(message: NewMessage): void {
  const item = document.createElement('li');
  item.className = message.out ? 'msg out' : 'msg in';
  if (message.messageId !== undefined) item.dataset.messageId = String(message.messageId);
  const bubble = document.createElement('div');
  bubble.className = 'bubble';
  if (message.photo) {
    const image = document.createElement('img');
    image.src = message.photo;
    image.alt = 'chart';
    image.addEventListener('load', scrollToEnd);
    bubble.append(image);
  }
  const text = document.createElement('div');
  text.className = 'text';
  renderTelegramHtml(text, message.text, message.parseMode);
  bubble.append(text);
  item.append(bubble);
  messages.append(item);
  if (message.messageId !== undefined) renderKeyboard(item, message.messageId, message.markup);
  scrollToEnd();
}

function renderKeyboard(item: HTMLElement, messageId: number, markup: unknown): void {
  item.querySelector('.kb')?.remove();
  const rows = (markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard;
  if (!rows?.length) return;
  const keyboard = document.createElement('div');
  keyboard.className = 'kb';
  for (const row of rows) {
    const line = document.createElement('div');
    line.className = 'kb-row';
    for (const button of row) line.append(keyboardButton(button, messageId));
    keyboard.append(line);
  }
  item.append(keyboard);
}

function keyboardButton(button: Button, messageId: number): HTMLButtonElement {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = button.text;
  if (button.web_app) {
    element.classList.add('web-app');
    element.addEventListener('click', () => void host.open(button.web_app!.url, button.text));
  } else if (button.url) {
    element.addEventListener('click', () => window.open(button.url, '_blank', 'noopener'));
  } else if (button.callback_data) {
    element.dataset.callback = button.callback_data;
    element.addEventListener(
      'click',
      () => void post('/chat/tap', { data: button.callback_data, messageId }).then(poll),
    );
  }
  return element;
}

function setMenuButton(menu: { type?: string; text?: string; web_app?: { url: string } } | undefined): void {
  if (menu?.type !== 'web_app' || !menu.web_app) {
    menuButton.hidden = true;
    return;
  }
  const url = menu.web_app.url;
  const text = menu.text ?? 'App';
  menuButton.hidden = false;
  menuButton.textContent = text;
  menuButton.onclick = () => void host.open(url, text);
}

function findMessage(messageId: number): HTMLElement | null {
  return messages.querySelector<HTMLElement>(`li[data-message-id="${messageId}"]`);
}

function editedMark(): HTMLElement {
  const mark = document.createElement('span');
  mark.className = 'edited';
  mark.textContent = 'edited';
  return mark;
}

let toastTimer: ReturnType<typeof setTimeout> | undefined;

/** A callback answer: a short toast, or an alert that stays until clicked. */
function showToast(text: string, isAlert: boolean): void {
  toast.textContent = text;
  toast.className = isAlert ? 'alert' : '';
  toast.hidden = false;
  clearTimeout(toastTimer);
  if (isAlert) toast.onclick = () => (toast.hidden = true);
  else toastTimer = setTimeout(() => (toast.hidden = true), 2500);
}

function scrollToEnd(): void {
  messages.scrollTop = messages.scrollHeight;
}

async function post(path: string, body: unknown): Promise<void> {
  await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}
