import { z } from 'zod';
import { defineMessenger } from '../messenger-module.js';
import { SLACK_BUDGETS } from './budgets.js';
import { manifestRoute } from './setup/manifest-route.js';
import { manifestNextSteps, printSlackManifest } from './setup/print-manifest.js';

const CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;

const FIXES = {
  SLACK_BOT_TOKEN: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page.',
  SLACK_APP_TOKEN: 'Create an app-level token with the connections:write scope (xapp-…) under "Basic Information", or unset it to receive events over HTTP.',
  SLACK_CHANNEL: 'Open the channel in Slack, "View channel details", and copy the Channel ID at the bottom (C…).',
  SLACK_SIGNING_SECRET: 'Copy the Signing Secret from your Slack app\'s "Basic Information" page.',
  SLACK_API_URL: 'Use a full URL such as https://slack.com/api/.',
};

/** Slack: bolt over signed HTTP events or Socket Mode; one channel per queue, one thread per conversation. */
export const slackMessenger = defineMessenger({
  id: 'slack',
  label: 'Slack',
  env: {
    SLACK_BOT_TOKEN: z.string().startsWith('xoxb-', 'a bot token starts with xoxb-').optional(),
    SLACK_SIGNING_SECRET: z.string().min(8).optional(),
    SLACK_APP_TOKEN: z.string().startsWith('xapp-', 'an app-level token starts with xapp-').optional(),
    SLACK_CHANNEL: z.string().regex(CHANNEL_ID, 'a channel id such as C0123ABCD, not a #name').optional(),
    SLACK_API_URL: z.url({ protocol: /^https?$/ }).default('https://slack.com/api/'),
  },
  envFixes: FIXES,

  howToEnable: 'SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET (or SLACK_APP_TOKEN for Socket Mode) and SLACK_CHANNEL',
  read({ given, values: e }, problems) {
    const mentioned = ['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CHANNEL'].some((k) => given[k] !== undefined);
    if (!mentioned) return { mentioned };
    if (given.SLACK_BOT_TOKEN === undefined) problems.push(`SLACK_BOT_TOKEN is missing. ${FIXES.SLACK_BOT_TOKEN}`);
    if (given.SLACK_SIGNING_SECRET === undefined && given.SLACK_APP_TOKEN === undefined) problems.push(`Slack needs SLACK_SIGNING_SECRET (events over HTTP at POST /slack/events) or SLACK_APP_TOKEN (Socket Mode, no public URL). ${FIXES.SLACK_SIGNING_SECRET}`);
    if (given.SLACK_CHANNEL === undefined) problems.push(`SLACK_CHANNEL is missing: conversations need a channel to appear in. ${FIXES.SLACK_CHANNEL}`);
    if (!e.SLACK_BOT_TOKEN || !(e.SLACK_SIGNING_SECRET || e.SLACK_APP_TOKEN) || !e.SLACK_CHANNEL || !e.SLACK_API_URL) return { mentioned };
    return { mentioned, settings: { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, channel: e.SLACK_CHANNEL, apiUrl: e.SLACK_API_URL } };
  },
  queueChannel: { key: 'slack_channel', schema: z.string().regex(CHANNEL_ID, 'a Slack channel id such as C0123ABCD'), defaultOf: (s) => s.channel },
  userIds: { pattern: /^[A-Za-z0-9_-]+$/, example: 'slack:U0123ABCD (Slack: profile → ⋮ → Copy member ID)' },
  budgets: SLACK_BUDGETS,
  // bolt and the Web API client load only when Slack is configured (or checked).
  create: async (settings, ctx) => {
    const { createSlackAdapter } = await import('./adapter.js');
    const adapter = createSlackAdapter({ ...settings, ...ctx });
    return { ...adapter, routes: [...adapter.routes, manifestRoute(Boolean(settings.appToken))] };
  },
  doctor: async (settings, ctx) => (await import('./setup/doctor.js')).checkSlack(settings, ctx),
  setup: (args) => ({ text: printSlackManifest(args), next: manifestNextSteps(args) }),
});
