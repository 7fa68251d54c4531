import { sendCustomerMessage, type SentWebhook } from '../support/send-customer-message.js';
import type { PlannedMessage } from '../latency/schedules.js';
import { runOpenLoop } from './open-loop.js';

/** One webhook of the schedule: as answered (status 0 when the request failed or got no answer in time), and how late its send was. */
export interface SentMessage extends SentWebhook {
  planned: PlannedMessage;
  lateMs: number;
  /** With status 0: why (open-loop.ts). */
  error?: string;
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
  return runOpenLoop(
    plan,
    async (m, i) => {
      const { from, name } = customer(m.conversation);
      return { ...(await sendCustomerMessage(typeof botUrl === 'string' ? botUrl : botUrl(i), from, name, textOf(m))), planned: m };
    },
    (m, _i, sentAt, answeredAt) => ({ text: textOf(m), from: customer(m.conversation).from, sentAt, answeredAt, status: 0, planned: m }),
    answerTimeoutMs,
  );
}
