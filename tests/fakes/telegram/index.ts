export { startTelegramFake, type Delivery, type DocumentPlace, type TelegramFake, type TelegramFakeOptions, type UserDocument } from './start-telegram-fake.js';
export type { CallbackQueryRecord, DeliveredUpdate, FailureSpec, FakeTopic, FakeUser, FileDownload, RecordedCall, StoredMessage } from './fake-state.js';
export { DEFAULT_RATES, type TelegramRates } from './rate-limits.js';
export { entitiesOf } from './user-updates.js';
export { FULL_RIGHTS, type AdminRight, type BotStanding } from './chat-methods.js';
