import type { Desk } from '../../src/core/desk.js';
import type { Conversation, Role, Seat } from '../../src/core/model.js';
import { createContext, type Update } from '../../src/handlers/context.js';
import { handleCommand } from '../../src/handlers/handle-command.js';
import type { Result } from '../../src/core/result.js';

let counter = 0;
/** A unique suffix per call, so cases never share state. */
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** Saves a seat with the given roles, bound to a Slack user id. */
export async function makeSeat(desk: Desk, userId: string, roles: Role[], o: Partial<Seat> = {}): Promise<Seat> {
  const seat: Seat = {
    id: `slack-${userId}`, name: o.name ?? userId, bindings: [{ platform: 'slack', userId }], roles,
    departments: ['default'], queues: ['default'], maxChats: 10, presence: 'online', enabled: true, createdAt: Date.now(), ...o,
  };
  await desk.seats.save(seat);
  return seat;
}

/** Opens a conversation the way a channel would (a customer message). */
export async function makeConversation(desk: Desk, queue = 'default'): Promise<Conversation> {
  const id = unique();
  const out = await desk.receiveCustomerMessage({ channel: 'api', account: 'crm', customer: { id: `cust-${id}`, name: `Customer ${id}` }, messageId: `m-${id}`, text: `hello ${id}`, sentAt: Date.now() });
  if (out.status !== 'accepted') throw new Error('conversation not opened');
  if (queue === 'default') return out.conversation;
  return (await desk.conversations.update(out.conversation.id, (c) => ({ ...c, queue })))!;
}

/** Runs a command as `userId` through the real handlers; returns the result and what the user was told. */
export async function runAs(desk: Desk, userId: string, name: string, args = '', o: { mentions?: string[]; conv?: Conversation } = {}): Promise<{ result: Result<unknown>; told: string[] }> {
  const told: string[] = [];
  const update: Update = {
    kind: 'command',
    actor: { platform: 'slack', userId },
    location: { workspace: 'T0001', channel: 'C0SUPPORT', ...(o.conv?.thread ? { thread: o.conv.thread.thread } : {}) },
    name, args, mentions: o.mentions ?? [],
  };
  const ctx = await createContext(desk, update, { replyPrivately: async (t) => { told.push(t); }, reply: async () => {} });
  const withConv = o.conv ? { ...ctx, conversation: await desk.conversations.get(o.conv.id) } : ctx;
  const result = await handleCommand(withConv, name, args, o.mentions ?? []);
  return { result, told };
}
