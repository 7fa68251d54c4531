import { text, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import { framePage } from './frame-page.js';
import { FRAME_JS } from './frame-script.js';
import { FRAME_CSS } from './frame-style.js';
import { LOADER_JS } from './loader-script.js';
import { MAX_FILE_BYTES } from './files.js';
import type { OriginPattern } from './origins.js';

export interface WebchatRouteOptions {
  origins: readonly OriginPattern[];
  maxChars: number;
}

const QUEUE = /^[\w.-]{1,64}$/;
const COLOR = /^#[0-9a-fA-F]{3,8}$/;

/**
 * The widget's files under `/chat/`: the loader a site embeds, the frame
 * (HTML, CSS, JS) and the full page. The frame's `frame-ancestors` lists
 * WEBCHAT_ORIGINS, so a browser refuses to show it inside any other site.
 */
export function webchatRoutes(o: WebchatRouteOptions): Route[] {
  const ancestors = o.origins.map((p) => p.source).join(' ');
  const csp = (frameAncestors: string) =>
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors ${frameAncestors}`;
  const page = (req: HttpRequest, fullPage: boolean): HttpResponse => {
    const queue = req.query.get('queue') ?? 'default';
    const color = req.query.get('color') ?? '';
    const title = req.query.get('title')?.slice(0, 80);
    const html = framePage({
      queue: QUEUE.test(queue) ? queue : 'default', fullPage, maxChars: o.maxChars, maxFileMb: MAX_FILE_BYTES / 1024 / 1024,
      ...(COLOR.test(color) ? { color } : {}), ...(title ? { title } : {}),
    });
    return {
      status: 200,
      body: html,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': csp(fullPage ? "'self'" : ancestors),
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      },
    };
  };
  const asset = (body: string, type: string): Route['handler'] => () => Promise.resolve(text(200, body, {
    'content-type': `${type}; charset=utf-8`, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff',
    // The loader runs on sites' pages: any origin may fetch it.
    'access-control-allow-origin': '*',
  }));
  return [
    { method: 'GET', path: '/chat/widget.js', handler: asset(LOADER_JS, 'text/javascript') },
    { method: 'GET', path: '/chat/frame.js', handler: asset(FRAME_JS, 'text/javascript') },
    { method: 'GET', path: '/chat/frame.css', handler: asset(FRAME_CSS, 'text/css') },
    { method: 'GET', path: '/chat/frame', handler: (req) => Promise.resolve(page(req, false)) },
    { method: 'GET', path: '/chat/', handler: (req) => Promise.resolve(page(req, true)) },
  ];
}
