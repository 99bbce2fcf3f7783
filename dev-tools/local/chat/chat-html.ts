/** The chat page's one HTML document: layout and Telegram-like styles; web/chat-client.ts does the rest. */
export function renderChatHtml(miniAppUrl?: string): string {
  return `<!doctype html>
<html lang="en" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Esther — local chat</title>
<style>${CSS}</style>
</head>
<body>
<main id="layout">
  <section id="chat" aria-label="Chat with the bot">
    <header class="bar">
      <div class="avatar">E</div>
      <div class="title"><strong>Esther Portfolio</strong><small>bot · local (fake Bot API)</small></div>
 ${miniAppUrl ? `<button id="open-app" type="button" data-url="${miniAppUrl.replace(/[&"<>]/g, '')}" title="The bot's Mini App (Telegram's Open button)">Open app</button>` : ''}
      <button id="theme-toggle" type="button" title="Switch light/dark theme" aria-label="Switch theme">◐</button>
    </header>
    <ol id="messages" aria-live="polite"></ol>
    <form id="composer" autocomplete="off">
      <button id="menu-button" type="button" hidden></button>
      <input id="input" name="text" placeholder="Message (try /start)" aria-label="Message">
      <button id="send" type="submit" aria-label="Send">➤</button>
    </form>
  </section>
  <section id="app-pane" hidden aria-label="Mini App">
    <header class="bar">
      <button id="app-back" type="button" hidden aria-label="Back">←</button>
      <button id="app-close" type="button" aria-label="Close">✕</button>
      <button id="app-theme" type="button" title="Switch light/dark theme" aria-label="Switch theme">◐</button>
      <div class="title"><strong id="app-title">Mini App</strong><small id="app-haptic" data-count="0">haptics: 0</small></div>
    </header>
    <iframe id="app-frame" title="Mini App"></iframe>
  </section>
</main>
<div id="toast" role="status" hidden></div>
<script type="module" src="/chat/chat.js"></script>
</body>
</html>`;
}

const CSS = `
:root { --bg:#ffffff; --chat-bg:#c8d9b8; --text:#000000; --hint:#707579; --link:#3390ec; --in:#ffffff; --out:#e3fee0;
  --button:#3390ec; --button-text:#ffffff; --kb:rgba(0,0,0,.18); --kb-text:#ffffff; --bar:#ffffff; --border:#dadce0; }
[data-theme="dark"] { --bg:#212121; --chat-bg:#0f0f0f; --text:#ffffff; --hint:#aaaaaa; --link:#8774e1; --in:#212121;
  --out:#766ac8; --button:#8774e1; --button-text:#ffffff; --kb:rgba(255,255,255,.12); --bar:#212121; --border:#303030; }
* { box-sizing: border-box; }
html, body { margin:0; height:100%; font: 15px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--text); background:var(--bg); }
#layout { display:flex; height:100%; }
#chat { flex:1; min-width:0; display:flex; flex-direction:column; background:var(--chat-bg); }
.bar { display:flex; align-items:center; gap:10px; padding:8px 12px; background:var(--bar); border-bottom:1px solid var(--border); min-height:52px; }
.bar .title { display:flex; flex-direction:column; flex:1; min-width:0; }
.bar small { color:var(--hint); }
#open-app { font-size:14px !important; color:var(--link) !important; font-weight:600; }
.bar button { background:none; border:0; color:var(--text); font-size:20px; cursor:pointer; padding:4px 8px; }
.avatar { width:36px; height:36px; border-radius:50%; background:var(--button); color:var(--button-text); display:grid; place-items:center; font-weight:600; }
#messages { flex:1; overflow-y:auto; list-style:none; margin:0; padding:12px; display:flex; flex-direction:column; gap:6px; }
.msg { max-width:min(560px, 88%); align-self:flex-start; }
.msg.out { align-self:flex-end; }
.bubble { background:var(--in); border-radius:12px; padding:6px 10px; white-space:pre-wrap; word-wrap:break-word; box-shadow:0 1px 1px rgba(0,0,0,.12); }
.msg.out .bubble { background:var(--out); }
.bubble a { color:var(--link); }
.bubble code, .bubble pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size:13px; }
.bubble pre { margin:4px 0; overflow-x:auto; }
.bubble blockquote { margin:4px 0; padding-left:8px; border-left:3px solid var(--link); }
.bubble .tg-spoiler { background:var(--hint); color:transparent; border-radius:3px; cursor:pointer; }
.bubble .tg-spoiler.shown { background:none; color:inherit; }
.bubble img { display:block; max-width:100%; border-radius:8px; margin:-2px -6px 4px; width:calc(100% + 12px); }
.edited { color:var(--hint); font-size:12px; margin-left:6px; }
.kb { display:flex; flex-direction:column; gap:4px; margin-top:4px; }
.kb-row { display:flex; gap:4px; }
.kb-row button { flex:1; min-width:0; background:var(--kb); color:var(--kb-text); border:0; border-radius:8px; padding:8px 6px; font:inherit; font-weight:500; cursor:pointer; text-shadow:0 1px 1px rgba(0,0,0,.25); overflow:hidden; text-overflow:ellipsis; white-space:nowrap; }
.kb-row button.web-app::after { content:" ↗"; }
#composer { display:flex; gap:8px; padding:8px; background:var(--bar); border-top:1px solid var(--border); }
#composer input { flex:1; min-width:0; border:1px solid var(--border); border-radius:18px; padding:8px 14px; font:inherit; background:var(--bg); color:var(--text); }
#composer button { border:0; border-radius:18px; background:var(--button); color:var(--button-text); padding:0 14px; font:inherit; cursor:pointer; }
#app-pane { width:420px; display:flex; flex-direction:column; border-left:1px solid var(--border); background:var(--bg); }
#app-pane[hidden], #menu-button[hidden], #app-back[hidden] { display:none; }
#app-frame { flex:1; border:0; width:100%; background:var(--bg); }
@media (max-width: 820px) { #app-pane { position:fixed; inset:0; width:auto; z-index:5; } }
#toast { position:fixed; left:50%; top:70px; transform:translateX(-50%); background:rgba(0,0,0,.78); color:#fff; padding:10px 16px; border-radius:10px; z-index:10; max-width:90%; white-space:pre-wrap; }
#toast.alert { top:40%; background:var(--bg); color:var(--text); box-shadow:0 4px 24px rgba(0,0,0,.35); }
`;
