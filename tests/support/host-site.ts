import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A customer's website that embeds the widget: one page, served on its own port (its own origin). */
export interface HostSite {
  port: number;
  /** The page's URL under `hostname` (a `*.test` name the browser maps to this machine). */
  url(hostname: string): string;
  close(): Promise<void>;
}

/** Serves `/` with the widget's script tag, `attributes` written as `data-*` attributes, and `headers` (a CSP). */
export async function startHostSite(scriptSrc: () => string, attributes: () => Record<string, string> = () => ({}), headers: () => Record<string, string> = () => ({})): Promise<HostSite> {
  const server = http.createServer((_req, res) => {
    const attrs = Object.entries({ queue: 'default', ...attributes() }).map(([k, v]) => ` data-${k}="${v.replace(/"/g, '&quot;')}"`).join('');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...headers() });
    res.end(`<!doctype html><html><head><meta name="viewport" content="width=device-width,initial-scale=1"><title>Shop</title></head>
<body style="font-family:sans-serif;background:#f4f4f0"><h1>Example shop</h1><p>Products and prices.</p>
<script src="${scriptSrc()}"${attrs} async></script></body></html>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: (hostname) => `http://${hostname}:${port}/`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
