export { startTelegramFake, type Delivery, type TelegramFake, type TelegramFakeOptions } from './start-telegram-fake.js';
export type { CallbackQueryRecord, DeliveredUpdate, FailureSpec, FakeTopic, FakeUser, RecordedCall, StoredMessage } from './fake-state.js';
export { DEFAULT_RATES, type TelegramRates } from './rate-limits.js';
export { entitiesOf } from './user-updates.js';
