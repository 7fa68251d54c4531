import type { FakeConfig } from './method-context.js';

/** Methods that take the app-level token (`xapp-…`) instead of the bot token. */
const APP_TOKEN_METHODS = new Set(['apps.connections.open']);

/**
 * Checks the token the way Slack does, answering with HTTP 200 and
 * `{ok:false,error}`: `not_authed` ("No authentication token provided"),
 * `invalid_auth` (unknown token), `not_allowed_token_type` (an app-level
 * token on a bot method or the reverse; apps.connections.open takes only the
 * app-level token with `connections:write`). The token may come as
 * `Authorization: Bearer` or, for form bodies, as the `token` argument.
 */
export function authenticate(
  config: FakeConfig,
  method: string,
  authorization: string | undefined,
  args: Record<string, unknown>,
): { tokenType: 'bot' | 'app' } | { error: string } {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const token = bearer ?? (typeof args.token === 'string' ? args.token : undefined);
  if (!token) return { error: 'not_authed' };
  const tokenType = token === config.botToken ? 'bot' : token === config.appToken ? 'app' : undefined;
  if (!tokenType) return { error: 'invalid_auth' };
  const wants = APP_TOKEN_METHODS.has(method) ? 'app' : 'bot';
  if (tokenType !== wants) return { error: 'not_allowed_token_type' };
  return { tokenType };
}
