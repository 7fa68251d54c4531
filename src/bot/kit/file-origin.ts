/**
 * Whether a file URL from a messenger's payload may be fetched (with the bot's
 * token, for Slack): only on the messenger's own file hosts, or on the origin
 * of its configured API (a local fake, an enterprise proxy). Anything else in
 * a payload is not followed, so no token or request goes elsewhere.
 */
export function isMessengerFileUrl(url: string, hosts: readonly RegExp[], apiUrl: string): boolean {
  let u: URL;
  try { u = new URL(url); } catch { return false; }
  if (u.origin === new URL(apiUrl).origin) return true;
  return u.protocol === 'https:' && hosts.some((h) => h.test(u.hostname));
}
