import { sendCustomerMessage, type SentWebhook } from '../support/send-customer-message.js';
import type { PlannedMessage } from '../latency/schedules.js';

/** One webhook of the schedule: as answered (status 0 when the request failed or got no answer in time), and how late its send was. */
export interface SentMessage extends SentWebhook {
  planned: PlannedMessage;
  lateMs: number;
}

export interface Customer {
  from: string;
  name: string;
}

/**
 * Sends the plan open loop: message i leaves at start + atMs whatever became
 * of the ones before (a slow answer never delays the next message, as with a
 * platform's webhooks). Returns every message once answered, or after
 * `answerTimeoutMs` past the last send with status 0 for those still
 * unanswered (the bot would have been given up on by the platform).
 * `botUrl` as a function picks the bot of message i (replicas behind a balancer).
 */
export async function sendOpenLoop(botUrl: string | ((i: number) => string), plan: readonly PlannedMessage[], customer: (c: number) => Customer, textOf: (m: PlannedMessage) => string, answerTimeoutMs: number): Promise<SentMessage[]> {
  const results: Array<SentMessage | undefined> = new Array(plan.length);
  const pending: Array<Promise<void>> = [];
  const start = Date.now();
  for (let i = 0; i < plan.length; i++) {
    const m = plan[i]!;
    const wait = start + m.atMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const lateMs = Date.now() - (start + m.atMs);
    const { from, name } = customer(m.conversation);
    const text = textOf(m);
    const sentAt = Date.now();
    pending.push(sendCustomerMessage(typeof botUrl === 'string' ? botUrl : botUrl(i), from, name, text).then(
      (s) => { results[i] = { ...s, planned: m, lateMs }; },
      () => { results[i] = { text, from, sentAt, answeredAt: Date.now(), status: 0, planned: m, lateMs }; },
    ));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(pending), new Promise((r) => { timer = setTimeout(r, answerTimeoutMs); })]);
  clearTimeout(timer);
  const givenUpAt = Date.now();
  return plan.map((m, i) => results[i] ?? {
    text: textOf(m), from: customer(m.conversation).from, sentAt: start + m.atMs, answeredAt: givenUpAt, status: 0, planned: m, lateMs: 0,
  });
}
