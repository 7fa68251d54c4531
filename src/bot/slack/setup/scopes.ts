/**
 * The bot token scopes threaddesk needs, each with the Web API method or
 * event that needs it (docs.slack.dev method references, "Required scopes").
 * `npm run setup:slack` puts them in the app manifest, `threaddesk doctor`
 * compares them with the token's `x-oauth-scopes`, and a test checks that
 * every method the Slack adapter calls is listed here, so they cannot drift.
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  'conversations.open': ['im:write'],
  'conversations.info': ['channels:read', 'groups:read'],
  'reactions.add': ['reactions:write'],
  // files.uploadV2 is these two calls.
  'files.getUploadURLExternal': ['files:write'],
  'files.completeUploadExternal': ['files:write'],
  // No scope: auth.test works with any token; views.open takes a trigger_id.
  'auth.test': [],
  'views.open': [],
};

/** Why each bot scope is asked for, as the manifest's reader and `doctor` tell it. */
export const BOT_SCOPES: Readonly<Record<string, string>> = {
  'chat:write': 'post conversation threads, header cards and replies; update header cards; private answers (chat.postMessage, chat.update, chat.postEphemeral)',
  'channels:history': 'receive agents\' thread replies in public channels (message.channels) and find a post after a lost answer (conversations.history, conversations.replies)',
  'groups:history': 'the same in private channels (message.groups)',
  'channels:read': 'threaddesk doctor checks that the queue channels exist and the bot is a member (conversations.info)',
  'groups:read': 'the same for private channels',
  'commands': 'the slash commands (/claim, /seat …)',
  'files:read': 'download files agents attach to a reply, to send them to the customer (url_private_download)',
  'files:write': 'upload customers\' photos and documents into the thread (files.getUploadURLExternal, files.completeUploadExternal)',
  'reactions:write': 'the ✓ on a reply once the customer\'s channel accepted it (reactions.add)',
  'im:write': 'tell an agent privately (assignments, alerts) in a direct message (conversations.open)',
};

/**
 * The bot events the adapter listens to (`app.event('message')`): thread
 * replies in public channels and in private ones. Each needs its history scope.
 */
export const BOT_EVENTS: Readonly<Record<string, string>> = {
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
};

/** The app-level token's scope for Socket Mode (apps.connections.open). */
export const SOCKET_MODE_SCOPE = 'connections:write';
