/**
 * The sandbox page (`GET /sandbox/`): the agents' channel on the left, drawn
 * by `app.js` from the board, and the customer on the right: a shop's page
 * that embeds the real web chat widget with its one script tag. Plain HTML,
 * no framework; the page's own words are English (the desk's texts in it come
 * from the catalogues).
 */
export const PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>threaddesk sandbox</title><link rel="stylesheet" href="/sandbox/app.css"></head>
<body class="sb">
<header class="sb-top">
<h1>threaddesk sandbox</h1>
<p>Write as the <b>customer</b> on the right. The conversation becomes a <b>thread</b> in the agents' channel on the left:
press <b>Claim</b>, answer in its reply box, and watch your answer reach the customer and get its <b>✓</b>.
Everything goes through the real bot: its HTTP routes, outbox and store.</p>
</header>
<main class="sb-main">
<section class="sb-agents" aria-labelledby="sb-agents-title">
<h2 id="sb-agents-title">Agents' channel <span class="sb-sub">#support · you are <b id="sb-me">…</b>, an admin</span></h2>
<p class="sb-status" id="sb-status" data-sb="status" role="status" aria-live="polite">Connecting…</p>
<form class="sb-command" id="sb-command">
<label for="sb-command-input">Command</label>
<input id="sb-command-input" data-sb="command" autocomplete="off" placeholder="/queue, /stats today, /help">
<button type="submit" class="sb-button">Run</button>
</form>
<p class="sb-sub" id="sb-command-result" role="status"></p>
<p class="sb-empty" id="sb-empty">No conversation yet: write something in the chat on the right.</p>
<div class="sb-threads" id="sb-threads" data-sb="threads"></div>
<section class="sb-notes" aria-labelledby="sb-notes-title">
<h3 id="sb-notes-title">Only you see these</h3>
<ol id="sb-notes" data-sb="notes" aria-live="polite"></ol>
</section>
</section>
<section class="sb-customer" aria-labelledby="sb-customer-title">
<h2 id="sb-customer-title">Customer <span class="sb-sub">a shop's page with the web chat widget</span></h2>
<iframe class="sb-phone" id="sb-customer" data-sb="customer" src="/sandbox/shop" title="The customer's browser: a shop's page with the chat"></iframe>
<p class="sb-sub">The shop embeds the widget with one tag:
<code>&lt;script src="/chat/widget.js" data-queue="default" async&gt;&lt;/script&gt;</code></p>
</section>
</main>
<script src="/sandbox/thread.js"></script>
<script src="/sandbox/app.js"></script>
</body></html>
`;

/** The customer's side: a small shop's page with the widget's one tag, as a site embeds it (SPEC §12). */
export const SHOP_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Example shop</title><link rel="stylesheet" href="/sandbox/app.css"></head>
<body class="shop">
<h1>Example shop</h1>
<p>Tea, cups and kettles. Questions? Press the chat bubble.</p>
<script src="/chat/widget.js" data-queue="default" data-title="Example shop help" async></script>
<script src="/sandbox/shop.js"></script>
</body></html>
`;
