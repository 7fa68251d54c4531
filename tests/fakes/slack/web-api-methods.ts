import { postEphemeral, postMessage, updateMessage } from './chat-methods.js';
import { openConversationMethod, repliesMethod } from './conversation-methods.js';
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
  'conversations.open': openConversationMethod,
  'conversations.replies': repliesMethod,
  'files.completeUploadExternal': completeUpload,
  'files.getUploadURLExternal': getUploadUrl,
  'reactions.add': addReaction,
  'users.info': usersInfo,
  'views.open': openView,
};
