import type { Seat } from './model.js';

/**
 * How a queue's customers see the agent who answers (SPEC §13, `agent_identity`
 * in a queue of the YAML): the agent's display name where the channel shows
 * one (web chat, the API callback's `agent`), and a prefix for channels that
 * show no sender (`*Ana · Acme*:` on WhatsApp), off unless configured.
 */
export interface AgentIdentity {
  /** Web chat and the API callback carry the agent's display name (default true); false: the team speaks as one. */
  showName: boolean;
  /** `{name}`, `{company}` and `{queue}` filled in and put before each reply where the channel shows no sender. */
  prefix?: string;
  /** What `{company}` stands for. */
  company?: string;
}

/** The variables a prefix may use. */
export const PREFIX_VARIABLES = ['name', 'company', 'queue'] as const;

/** The agent as one reply shows them: their name when shown, and the prefix filled in when configured. */
export interface ReplyIdentity { name?: string; prefix?: string }

/**
 * A reply's text with the queue's prefix for channels that show no sender
 * and take no formatting (WeChat, Telegram's private chats): `Ana · Acme: …`.
 * A file sent without text gets none: there is nothing to put it before.
 */
export function plainPrefixed(text: string, prefix: string | undefined): string {
  return prefix && text.trim() ? `${prefix}: ${text}` : text;
}

export function replyIdentity(identity: AgentIdentity | undefined, seat: Pick<Seat, 'name'>, queue: string): ReplyIdentity {
  const showName = identity?.showName ?? true;
  const values: Record<string, string> = { name: seat.name, company: identity?.company ?? '', queue };
  const prefix = identity?.prefix?.replace(/\{(\w+)\}/g, (whole, v: string) => values[v] ?? whole).trim();
  return { ...(showName ? { name: seat.name } : {}), ...(prefix ? { prefix } : {}) };
}
