import { COMMANDS } from '../../../handlers/commands/index.js';
import type { Command } from '../../../handlers/commands/types.js';
import { slackCommandFor } from './command-names.js';
import { BOT_EVENTS, BOT_SCOPES } from './scopes.js';

/** How Slack reaches the bot: Socket Mode (no public URL) or signed HTTP at `<publicUrl>/slack/events`. */
export type SlackDelivery = { socketMode: true } | { socketMode: false; publicUrl: string };

/** The fields of a Slack app manifest (version 1) that threaddesk fills in. */
export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; background_color: string };
  features: {
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: { command: string; description: string; usage_hint?: string; should_escape: boolean; url?: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { bot_events: string[]; request_url?: string };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/**
 * The Slack app manifest, from the command registry and the Slack module's
 * scopes and events: paste it at api.slack.com/apps → "Create New App" →
 * "From a manifest". Commands escape channels, users and links
 * (`should_escape`), so mentions arrive as `<@U…|name>`, as the adapter reads them.
 */
export function slackManifest(delivery: SlackDelivery, commands: readonly Command[] = Object.values(COMMANDS), name = 'threaddesk'): SlackManifest {
  const eventsUrl = delivery.socketMode ? undefined : `${delivery.publicUrl.replace(/\/+$/, '')}/slack/events`;
  const at = eventsUrl ? { url: eventsUrl } : {};
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: { name, description: 'Customer conversations as threads: claim, reply, close.', background_color: '#2c2d30' },
    features: {
      bot_user: { display_name: name, always_online: true },
      slash_commands: commands.map((c) => ({
        command: slackCommandFor(c.name),
        description: c.description.slice(0, 2000),
        ...(usageHint(c) ? { usage_hint: usageHint(c) } : {}),
        should_escape: true,
        ...at,
      })),
    },
    oauth_config: { scopes: { bot: Object.keys(BOT_SCOPES) } },
    settings: {
      event_subscriptions: { bot_events: Object.keys(BOT_EVENTS), ...(eventsUrl ? { request_url: eventsUrl } : {}) },
      interactivity: { is_enabled: true, ...(eventsUrl ? { request_url: eventsUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: delivery.socketMode,
      token_rotation_enabled: false,
    },
  };
}

/** The usage without the command's own name (`status online|away|paused` → `online|away|paused`): Slack shows it after the command. */
function usageHint(c: Command): string | undefined {
  const forms = c.usage.split(' · ').map((f) => f.replace(new RegExp(`^/?${c.name}\\b\\s*`), '').trim()).filter(Boolean);
  return forms.length ? forms.join(' · ').slice(0, 1000) : undefined;
}
