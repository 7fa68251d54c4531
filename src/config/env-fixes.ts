/** What to do about a bad environment variable, beyond zod's message. */
export const ENV_FIXES: Record<string, string> = {
  PORT: 'Set PORT to a port number such as 3000.',
  REDIS_URL: 'Set REDIS_URL like redis://127.0.0.1:6379, or unset it to use the embedded store in DATA_DIR.',
  REDIS_PREFIX: 'Set REDIS_PREFIX to a short name of this install ending with ":", such as acme-support:, or unset it for the default threaddesk:.',
  SLACK_BOT_TOKEN: 'Copy the Bot User OAuth Token (xoxb-…) from your Slack app\'s "OAuth & Permissions" page.',
  SLACK_APP_TOKEN: 'Create an app-level token with the connections:write scope (xapp-…) under "Basic Information", or unset it to receive events over HTTP.',
  SLACK_CHANNEL: 'Open the channel in Slack, "View channel details", and copy the Channel ID at the bottom (C…).',
  SLACK_SIGNING_SECRET: 'Copy the Signing Secret from your Slack app\'s "Basic Information" page.',
  WHATSAPP_PHONE_NUMBER_ID: 'Copy the Phone number ID from WhatsApp Manager → API Setup.',
  INBOUND_API_SECRET: 'Generate one with `openssl rand -hex 32` and give it to the systems that call /api/messages.',
  SLACK_API_URL: 'Use a full URL such as https://slack.com/api/.',
  WHATSAPP_API_URL: 'Use the Graph API base including the version, such as https://graph.facebook.com/v21.0.',
};
