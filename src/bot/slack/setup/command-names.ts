/**
 * Slack's built-in slash commands: an app cannot own these names, so a desk
 * command of the same name is registered with the `td-` prefix (`/td-status`)
 * and the adapter takes the prefix off again. The list is Slack's documented
 * built-ins ("Use shortcuts and commands in Slack"), plus names Slack keeps
 * for its own features.
 */
export const SLACK_RESERVED_COMMANDS: ReadonlySet<string> = new Set([
  'active', 'apps', 'archive', 'away', 'call', 'collapse', 'dm', 'dnd', 'expand', 'feed', 'feedback', 'giphy',
  'invite', 'join', 'kick', 'leave', 'me', 'msg', 'mute', 'open', 'prefs', 'remind', 'remove', 'rename',
  'search', 'shortcuts', 'shrug', 'star', 'status', 'topic', 'who',
]);

/** The prefix a desk command takes on Slack when its own name is one of Slack's. */
export const SLACK_COMMAND_PREFIX = 'td-';

/** The slash command a desk command is on Slack: `/claim`, but `/td-status`. */
export function slackCommandFor(name: string): string {
  return SLACK_RESERVED_COMMANDS.has(name) ? `/${SLACK_COMMAND_PREFIX}${name}` : `/${name}`;
}

/** The desk command a Slack slash command runs (`/td-status` → `status`, `/Claim` → `claim`). */
export function deskCommandOf(slashCommand: string): string {
  const name = slashCommand.replace(/^\//, '').toLowerCase();
  return name.startsWith(SLACK_COMMAND_PREFIX) ? name.slice(SLACK_COMMAND_PREFIX.length) : name;
}
