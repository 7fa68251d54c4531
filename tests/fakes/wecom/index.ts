export { startWecomFake, type WecomFake, type WecomFakeOptions } from './start-wecom-fake.js';
export type { EventSend, RequestRecord, SentKfMessage } from './wecom-fake-types.js';
export { kfEvent, kfMessage, newMsgId, type KfMessage, type MessageBase } from './kf-messages.js';
export { buildKfCallback, buildUrlVerification, sendCallback, type CallbackDelivery, type CallbackSecrets } from './callbacks.js';
export { ALLOWED_TRANSITIONS, type EventCodeKind, type ServiceState } from './sessions.js';
export { INVALID_EVENT_CODE, MAX_TEXT_BYTES } from './kf-routes.js';
