import { WebClient } from '@slack/web-api';
import { QUIET_SLACK_LOGGER as QUIET } from '../slack-logger.js';
import { reasonOf, type DoctorContext, type Finding } from '../../../doctor/finding.js';
import { BOT_SCOPES, SOCKET_MODE_SCOPE } from './scopes.js';

export interface SlackDoctorSettings { botToken: string; appToken?: string | undefined; apiUrl: string }

const REINSTALL = 'then "Reinstall to Workspace" and copy the new Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN';

/**
 * Checks a Slack install the way the bot will use it: the bot token
 * (auth.test), its scopes (Slack lists them in the `x-oauth-scopes` header
 * of every answer) against BOT_SCOPES, each queue channel (conversations.info:
 * exists, the bot is a member) and, in Socket Mode, the app-level token.
 */
export async function checkSlack(s: SlackDoctorSettings, ctx: DoctorContext): Promise<Finding[]> {
  const part = 'Slack';
  const client = new WebClient(s.botToken, { slackApiUrl: s.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: ctx.timeoutMs, logger: QUIET });
  let auth;
  try {
    auth = await client.auth.test();
  } catch (err) {
    return [{ part, ok: false, said: `the bot token was refused (${reasonOf(err)})`, fix: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page into SLACK_BOT_TOKEN, and check SLACK_API_URL.' }];
  }
  const found: Finding[] = [{ part, ok: true, said: `the bot token works: @${String(auth.user)} in workspace ${String(auth.team)}` }];
  const have = new Set(auth.response_metadata?.scopes ?? []);
  const missing = Object.keys(BOT_SCOPES).filter((scope) => !have.has(scope));
  if (missing.length) {
    found.push({
      part, ok: false,
      said: `the bot token lacks ${missing.length === 1 ? 'a scope' : `${missing.length} scopes`}: ${missing.map((m) => `${m} — ${BOT_SCOPES[m]}`).join('; ')}`,
      fix: `Add ${missing.join(', ')} under "OAuth & Permissions" → "Bot Token Scopes" (or update the app from the manifest \`npm run setup:slack\` prints), ${REINSTALL}.`,
    });
  } else found.push({ part, ok: true, said: `the bot token has every scope threaddesk uses (${Object.keys(BOT_SCOPES).length})` });
  for (const channel of ctx.channels) found.push(await checkChannel(client, channel, String(auth.user)));
  if (s.appToken) found.push(await checkAppToken(s.appToken, s.apiUrl, ctx.timeoutMs));
  return found;
}

async function checkChannel(client: WebClient, channel: string, botName: string): Promise<Finding> {
  const part = `Slack channel ${channel}`;
  try {
    const info = await client.conversations.info({ channel });
    const c = info.channel ?? {};
    if (c.is_archived) return { part, ok: false, said: `#${c.name} is archived`, fix: 'Unarchive it, or point SLACK_CHANNEL (or the queue\'s slack_channel) at a channel in use.' };
    if (!c.is_member) return { part, ok: false, said: `the bot is not a member of #${c.name}, so it cannot post there or see agents' replies`, fix: `Type /invite @${botName} in #${c.name}.` };
    return { part, ok: true, said: `#${c.name} exists and the bot is a member` };
  } catch (err) {
    const code = reasonOf(err);
    if (code === 'missing_scope') return { part, ok: false, said: 'cannot be checked without the channels:read and groups:read scopes', fix: `Add them, ${REINSTALL}.` };
    if (code === 'channel_not_found') return { part, ok: false, said: 'no such channel the bot can see (a private channel shows only to members)', fix: 'Open the channel in Slack, "View channel details", copy the Channel ID (C…) into SLACK_CHANNEL or the queue\'s slack_channel; for a private channel, /invite the bot first.' };
    return { part, ok: false, said: `conversations.info failed (${code})`, fix: 'Run the doctor again; if it stays, check SLACK_API_URL and the network.' };
  }
}

/** Socket Mode: apps.connections.open with the app-level token (it only hands out a WebSocket URL, nothing connects). */
async function checkAppToken(appToken: string, apiUrl: string, timeoutMs: number): Promise<Finding> {
  const part = 'Slack Socket Mode';
  try {
    await new WebClient(appToken, { slackApiUrl: apiUrl, retryConfig: { retries: 0 }, timeout: timeoutMs, logger: QUIET }).apps.connections.open();
    return { part, ok: true, said: 'the app-level token may open a Socket Mode connection' };
  } catch (err) {
    return { part, ok: false, said: `the app-level token was refused (${reasonOf(err)})`, fix: `Under "Basic Information" → "App-Level Tokens", generate a token with the ${SOCKET_MODE_SCOPE} scope into SLACK_APP_TOKEN, and turn Socket Mode on ("Socket Mode" page); or unset SLACK_APP_TOKEN to receive events over HTTP.` };
  }
}
