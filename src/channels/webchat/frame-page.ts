import { LANGUAGES } from '../../i18n/languages.js';

/** The catalogue keys the widget shows; both languages go to the page and the browser's language picks one. */
const KEYS = [
  'webchat.title', 'webchat.open', 'webchat.close', 'webchat.log_label', 'webchat.input_label', 'webchat.placeholder',
  'webchat.send', 'webchat.you', 'webchat.agent', 'webchat.system', 'webchat.pending', 'webchat.connecting',
  'webchat.online', 'webchat.offline', 'webchat.idle', 'webchat.too_long', 'webchat.rate_limited',
  'webchat.identity_refused', 'webchat.attach', 'webchat.file_too_large', 'webchat.upload_failed', 'webchat.typing',
  'webchat.edited', 'webchat.deleted',
] as const;

export interface FramePageOptions {
  queue: string;
  /** A site's `data-title`; absent: the catalogue's. */
  title?: string;
  color?: string;
  /** `GET /chat/` as a page of its own rather than inside a site's iframe. */
  fullPage: boolean;
  maxChars: number;
  maxFileMb: number;
}

/**
 * The widget's HTML: the same for the iframe and the full page. Everything
 * variable goes in one JSON block read by `frame.js`, never into markup, so
 * no site-given value can become HTML.
 */
export function framePage(o: FramePageOptions): string {
  const strings = Object.fromEntries(LANGUAGES.map((l) => [l.tag, Object.fromEntries(KEYS.map((k) => [k, l.messages[k]]))]));
  const config = { queue: o.queue, title: o.title ?? null, color: o.color ?? null, maxChars: o.maxChars, maxFileMb: o.maxFileMb, strings };
  // `<` escaped so no value can close the script element.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat</title><link rel="stylesheet" href="/chat/frame.css"></head>
<body class="${o.fullPage ? 'td-page' : 'td-embedded'}">
<div class="td-app">
<header class="td-head"><h1 id="td-title"></h1><button type="button" class="td-close" id="td-close">×</button></header>
<p class="td-status" id="td-status" data-td="status" role="status" aria-live="polite"></p>
<ol class="td-log" id="td-log" role="log" aria-live="polite" tabindex="0"></ol>
<p class="td-typing" id="td-typing" data-td="typing" hidden></p>
<form class="td-form" id="td-form"><label class="td-attach" id="td-attach"><input type="file" id="td-file" data-td="file" class="td-sr"><svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true"><path fill="currentColor" d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z"/></svg></label>
<label class="td-sr" for="td-input" id="td-input-label"></label>
<textarea id="td-input" data-td="input" rows="1" autocomplete="off"></textarea>
<button type="submit" class="td-send" id="td-send" data-td="send"></button></form>
</div>
<script type="application/json" id="td-config">${json}</script>
<script src="/chat/frame.js"></script>
</body></html>
`;
}
