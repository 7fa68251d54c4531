import { stringify } from 'yaml';
import { slackManifest, type SlackDelivery } from './manifest.js';

/**
 * `threaddesk setup slack [--url https://desk.example.com] [--yaml]`: the app
 * manifest as JSON (or YAML). With `--url`, Slack posts events, commands and
 * interactivity to `<url>/slack/events`; without it the app uses Socket Mode.
 */
export function printSlackManifest(args: readonly string[]): string {
  const at = args.indexOf('--url');
  const url = at >= 0 ? args[at + 1] : undefined;
  if (at >= 0 && !(url && /^https?:\/\/[^\s/]+/.test(url))) throw new Error('--url needs the desk\'s public address, such as --url https://desk.example.com (Slack then posts to /slack/events there). Leave --url out for Socket Mode.');
  const delivery: SlackDelivery = url ? { socketMode: false, publicUrl: url } : { socketMode: true };
  const manifest = slackManifest(delivery);
  return args.includes('--yaml') ? stringify(manifest) : JSON.stringify(manifest, null, 2) + '\n';
}

/** What to do with the manifest, for the terminal (stderr, so stdout stays the manifest alone). */
export function manifestNextSteps(args: readonly string[]): string {
  const socket = !args.includes('--url');
  return [
    'Next: api.slack.com/apps → "Create New App" → "From a manifest" → pick the workspace → paste the manifest → Create → "Install to Workspace".',
    'Then set SLACK_BOT_TOKEN (OAuth & Permissions → Bot User OAuth Token, xoxb-…) and SLACK_CHANNEL (the channel\'s id), and /invite the bot to that channel.',
    socket
      ? 'Socket Mode: "Basic Information" → "App-Level Tokens" → Generate, scope connections:write → SLACK_APP_TOKEN (xapp-…). No public URL needed.'
      : 'HTTP: "Basic Information" → Signing Secret → SLACK_SIGNING_SECRET. Slack verifies the request URL when you save it, so start threaddesk first.',
    'Check it all with: npm run doctor',
  ].join('\n');
}
