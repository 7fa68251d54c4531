export { startSlackFake, type SlackFake, type SlackFakeOptions, type UserMessageInput } from './start-slack-fake.js';
export type {
  EphemeralMessage,
  FailureSpec,
  FakeUser,
  FileRecord,
  ReactionRecord,
  RecordedCall,
  StoredMessage,
} from './fake-state.js';
export type { BucketRate, TierBudget } from './rate-limits.js';
export type { ResponseUrlPost } from './response-urls.js';
export type { EnvelopeType, PushOptions, SocketAck } from './socket-mode-server.js';
export * from './send-to-bot.js';
export { messageChanged, messageDeleted } from './change-events.js';
