import type { BusinessHours } from './hours/business-hours.js';
import type { AgentIdentity } from './agent-identity.js';

/**
 * How a queue serves its customers by itself (SPEC §7): opening hours and the
 * away reply, the welcome, response-time targets and inactivity close.
 * Times in ms; minutes of the day for the welcome slots.
 */
export interface ServiceSettings {
  /** Absent: always open (no away reply). */
  hours?: BusinessHours;
  /** The away reply's template (`{customer_name}`, `{queue}`, `{opens_at}`); absent: the queue language's default words. */
  awayReply?: string;
  /** At most one away reply per conversation within this long. */
  awayIntervalMs: number;
  /** Welcome texts: the first whose slot holds (in the hours' time zone) greets a conversation's first message. */
  welcome: { between?: { from: number; to: number }; text: string }[];
  sla: { firstResponseMs: number; noReplyMs?: number; escalateAfterMs?: number };
  /** Close a conversation silent this long; 0 = never. */
  inactivityCloseMs: number;
  /** How customers see the agent (absent: by name where the channel shows one, no prefix). */
  agentIdentity?: AgentIdentity;
}

/** What a queue that configures nothing does: always open, no welcome, first response within 90 s, never closed for silence. */
export const DEFAULT_SERVICE: ServiceSettings = { awayIntervalMs: 240 * 60_000, welcome: [], sla: { firstResponseMs: 90_000 }, inactivityCloseMs: 0 };
