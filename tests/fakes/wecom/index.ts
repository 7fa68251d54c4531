/**
 * The WeCom (微信客服) fake for channel tests. A typical test:
 *
 *   const fake = await startWecomFake({ now: () => clock.now });   // WECOM_API_URL = fake.url
 *   fake.callbackUrl = `${bot.url}/webhooks/wechat`;                // WECOM_TOKEN etc. = fake.callbackToken…
 *   fake.push(kfMessage.text(fake.base('wmCustomer'), 'hello'));
 *   await fake.deliverKfCallback();                                 // the bot pulls with sync_msg
 *   await fake.waitFor((f) => f.sent.find((s) => s.touser === 'wmCustomer'));
 */
export { startWecomFake, type WecomFake, type WecomFakeOptions } from './start-wecom-fake.js';
export type { EventSend, RequestRecord, SentKfMessage } from './wecom-fake-types.js';
export { kfEvent, kfMessage, newMsgId, type KfMessage, type MessageBase } from './kf-messages.js';
export { buildKfCallback, buildUrlVerification, sendCallback, type CallbackDelivery, type CallbackSecrets } from './callbacks.js';
export { ALLOWED_TRANSITIONS, type EventCodeKind, type ServiceState } from './sessions.js';
export { INVALID_EVENT_CODE, MAX_TEXT_BYTES, RECALL_REFUSED, RECALL_WINDOW_MS } from './kf-routes.js';
