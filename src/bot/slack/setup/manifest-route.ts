import { json, type Route } from '../../../http/types.js';
import { slackManifest } from './manifest.js';

/**
 * `GET /setup/slack-manifest`: the app manifest for this running desk, as
 * `npm run setup:slack` prints it. In Socket Mode (SLACK_APP_TOKEN set) it
 * names no URL; over HTTP its request URLs are this desk's `/slack/events`,
 * on the host and scheme the request came by (`X-Forwarded-Proto` when a
 * proxy terminates TLS). It holds no secret: commands, scopes and events.
 */
export function manifestRoute(socketMode: boolean): Route {
  return {
    method: 'GET',
    path: '/setup/slack-manifest',
    handler: async (req) => {
      if (socketMode) return json(200, slackManifest({ socketMode: true }));
      const host = req.headers.host;
      if (!host || !/^[A-Za-z0-9.-]+(:\d+)?$/.test(host)) return json(400, { error: 'bad_host', message: 'Send a Host header with the desk\'s public host name, or run npm run setup:slack -- --url https://<public host>.' });
      const proto = String(req.headers['x-forwarded-proto'] ?? 'http').split(',')[0]!.trim() === 'https' ? 'https' : 'http';
      return json(200, slackManifest({ socketMode: false, publicUrl: `${proto}://${host}` }));
    },
  };
}
