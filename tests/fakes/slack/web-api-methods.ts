import { postEphemeral, postMessage, updateMessage } from './chat-methods.js';
import { conversationInfo, openConversationMethod, repliesMethod } from './conversation-methods.js';
import { historyMethod } from './history-method.js';
import { completeUpload, getUploadUrl } from './file-methods.js';
import { openView } from './view-methods.js';
import type { MethodHandler } from './method-context.js';
import { addReaction, authTest, openConnection, usersInfo } from './workspace-methods.js';

/** Every Web API method the fake implements; anything else is `unknown_method`. */
export const WEB_API_METHODS: Readonly<Record<string, MethodHandler>> = {
  'apps.connections.open': openConnection,
  'auth.test': authTest,
  'chat.postEphemeral': postEphemeral,
  'chat.postMessage': postMessage,
  'chat.update': updateMessage,
  'conversations.history': historyMethod,
  'conversations.info': conversationInfo,
  'conversations.open': openConversationMethod,
  'conversations.replies': repliesMethod,
  'files.completeUploadExternal': completeUpload,
  'files.getUploadURLExternal': getUploadUrl,
  'reactions.add': addReaction,
  'users.info': usersInfo,
  'views.open': openView,
};

/**
 * The bot scopes each method accepts (any one of them), from the method
 * references' "Required scopes"; a bot token without one is answered
 * `missing_scope`. Methods not listed need none (auth.test, views.open).
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postEphemeral': ['chat:write'],
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.history': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'conversations.info': ['channels:read', 'groups:read', 'im:read', 'mpim:read'],
  'conversations.open': ['im:write', 'mpim:write'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history', 'mpim:history'],
  'files.completeUploadExternal': ['files:write'],
  'files.getUploadURLExternal': ['files:write'],
  'reactions.add': ['reactions:write'],
  'users.info': ['users:read'],
};
