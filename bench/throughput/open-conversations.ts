import type { SlackFake } from '../../tests/fakes/slack/index.js';
import type { GraphFake } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { sendCustomerMessage } from '../support/send-customer-message.js';
import { sendAgentReply } from './send-agent-reply.js';
import type { Customer } from './send-open-loop.js';

/** A bootstrapped admin seat holds up to 20 chats (src/core/seats.ts bootstrapAdmins), so each agent claims 20 conversations. */
export const CHATS_PER_AGENT = 20;
/** Setup requests in flight at once. */
export const IN_FLIGHT = 10;
const SETUP_TIMEOUT_MS = 120_000;

/** The agent (a Slack user id, one of BOOTSTRAP_ADMINS) who claims and answers conversation c. */
export const agentOf = (c: number) => `U0BENCH${String(Math.floor(c / CHATS_PER_AGENT)).padStart(3, '0')}`;
export const agentsFor = (conversations: number) => Array.from({ length: Math.ceil(conversations / CHATS_PER_AGENT) }, (_, a) => agentOf(a * CHATS_PER_AGENT));

/** Runs `each` over 0…n−1, `IN_FLIGHT` at a time. */
export async function inFlight(n: number, each: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    for (let i = next++; i < n; i = next++) await each(i);
  }));
}

/** Polls `done` every 50 ms; throws, naming `what`, after the setup timeout. */
export async function waitUntil(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + SETUP_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`setup: ${what} did not happen within ${SETUP_TIMEOUT_MS / 1000} s; the bot's log (botLog) may say why`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Resolves once neither fake has received a call for `quietMs`: the outbox has
 * sent what setup queued (the claims' header edits, 🙋 notes and ✓ marks), so
 * it is not counted in the measured step's CPU. Gives up quietly after the
 * setup timeout (the step's figures then show the tail).
 */
export async function waitForQuiet(slack: SlackFake, graph: GraphFake, quietMs = 1000): Promise<number> {
  const started = Date.now();
  let seen = -1;
  let since = Date.now();
  while (Date.now() - since < quietMs && Date.now() - started < SETUP_TIMEOUT_MS) {
    const now = slack.calls.length + graph.sent.length;
    if (now !== seen) { seen = now; since = Date.now(); }
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}

/**
 * Before a reply step: each customer writes once, which opens a conversation
 * and its thread (the header card's ts is the `thread_ts` replies must use,
 * read from the thread post that carries the opening text); then each
 * conversation's agent replies once, which claims it (first replier claims)
 * and opens nothing else. Returns the thread of each conversation once every
 * claiming reply has reached the Graph fake, so the measured replies are the
 * steady state: claimed conversations, one send each.
 */
export async function openConversations(botUrl: string, slack: SlackFake, graph: GraphFake, conversations: number, customer: (c: number) => Customer): Promise<string[]> {
  const opening = (c: number) => `open c${String(c).padStart(4, '0')}: hello, I have a question`;
  const claiming = (c: number) => `claim c${String(c).padStart(4, '0')}: hi, I am on it`;
  // The bench's customers write to the bot directly, not through Meta: the Graph fake opens their 24-hour windows only when told.
  for (let c = 0; c < conversations; c++) graph.windowOpen(customer(c).from);
  await inFlight(conversations, async (c) => {
    const { from, name } = customer(c);
    const s = await sendCustomerMessage(botUrl, from, name, opening(c));
    if (s.status !== 200) throw new Error(`setup: the opening message of conversation ${c} was answered ${s.status}`);
  });
  const threads = new Map<string, string>();
  await waitUntil(`a thread for each of ${conversations} conversations`, () => {
    for (const m of slack.messages) if (m.thread_ts && m.bot_id) for (const line of m.text.split('\n')) if (!threads.has(line)) threads.set(line, m.thread_ts);
    return Array.from({ length: conversations }, (_, c) => opening(c)).every((t) => threads.has(t));
  });
  const threadOf = Array.from({ length: conversations }, (_, c) => threads.get(opening(c))!);
  await inFlight(conversations, async (c) => {
    const r = await sendAgentReply(botUrl, slack, { user: agentOf(c), thread: threadOf[c]!, text: claiming(c) });
    if (r.status !== 200) throw new Error(`setup: the claiming reply in conversation ${c} was answered ${r.status}`);
  });
  const wanted = new Set(Array.from({ length: conversations }, (_, c) => claiming(c)));
  await waitUntil(`each conversation's claiming reply reaching the Graph fake`, () => {
    let seen = 0;
    for (const s of graph.sent) if (s.text !== undefined && wanted.has(s.text)) seen += 1;
    return seen >= wanted.size;
  });
  return threadOf;
}
