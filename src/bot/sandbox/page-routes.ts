import { text, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import { refuseUnlessLocal } from './guard.js';
import { SANDBOX_PATH } from './names.js';
import { PAGE_HTML, SHOP_HTML } from './page-html.js';
import { PAGE_JS } from './page-script.js';
import { PAGE_CSS } from './page-style.js';
import { THREAD_JS } from './thread-script.js';

/** The shop page opens its chat at once, so the customer's side starts with the chat showing. */
const SHOP_JS = String.raw`(function () {
  'use strict';
  var tries = 0;
  function open() {
    var launcher = document.querySelector('[data-td=launcher]');
    if (launcher) { if (launcher.getAttribute('aria-expanded') !== 'true') launcher.click(); return; }
    if (++tries < 200) setTimeout(open, 50);
  }
  open();
})();
`;

const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// The shop is shown inside the sandbox page, and shows the widget's frame; the loader styles through the CSSOM only.
const SHOP_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; frame-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

function file(body: string, type: string, csp?: string): (req: HttpRequest) => Promise<HttpResponse> {
  return (req) => Promise.resolve(refuseUnlessLocal(req, false) ?? text(200, body, {
    'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer',
    ...(csp ? { 'content-security-policy': csp } : {}),
  }));
}

/** The page and its files, and the shop page the customer's side shows (a site embedding the web chat with one tag). */
export function pageRoutes(): Route[] {
  return [
    { method: 'GET', path: SANDBOX_PATH.slice(0, -1), handler: () => Promise.resolve(text(308, `See ${SANDBOX_PATH}`, { location: SANDBOX_PATH })) },
    { method: 'GET', path: SANDBOX_PATH, handler: file(PAGE_HTML, 'text/html', PAGE_CSP) },
    { method: 'GET', path: `${SANDBOX_PATH}app.js`, handler: file(PAGE_JS, 'text/javascript') },
    { method: 'GET', path: `${SANDBOX_PATH}thread.js`, handler: file(THREAD_JS, 'text/javascript') },
    { method: 'GET', path: `${SANDBOX_PATH}app.css`, handler: file(PAGE_CSS, 'text/css') },
    { method: 'GET', path: `${SANDBOX_PATH}shop`, handler: file(SHOP_HTML, 'text/html', SHOP_CSP) },
    { method: 'GET', path: `${SANDBOX_PATH}shop.js`, handler: file(SHOP_JS, 'text/javascript') },
  ];
}
