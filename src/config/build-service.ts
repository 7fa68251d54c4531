import type { ConfiguredChannel } from '../channels/channel-module.js';
import type { Registry } from './registry.js';
import type { QueueEntry } from './schema.js';
import { DEFAULT_SERVICE, type ServiceSettings } from '../core/service-settings.js';
import { parseClock } from '../core/hours/local-time.js';
import { buildAgentIdentity } from './build-agent-identity.js';

/** A queue's hours, away reply, welcome, SLA and inactivity close, checked: every problem named with its fix. */
export function buildService(q: QueueEntry, channels: Readonly<Record<string, ConfiguredChannel>>, registry: Registry, configFile: string, problems: string[]): ServiceSettings {
  const where = `${configFile}: queue "${q.name}"`;
  const service: ServiceSettings = {
    ...DEFAULT_SERVICE,
    welcome: [],
    sla: {
      firstResponseMs: (q.sla?.first_response_seconds ?? 90) * 1000,
      ...(q.sla?.no_reply_seconds ? { noReplyMs: q.sla.no_reply_seconds * 1000 } : {}),
      ...(q.sla?.escalate_after_seconds ? { escalateAfterMs: q.sla.escalate_after_seconds * 1000 } : {}),
    },
    awayIntervalMs: (q.away_reply_interval_minutes ?? 240) * 60_000,
    inactivityCloseMs: (q.inactivity_close_hours ?? 0) * 3_600_000,
  };
  if (q.hours) {
    const h = q.hours;
    const zoneOk = (() => { try { new Intl.DateTimeFormat('en', { timeZone: h.time_zone }); return true; } catch { return false; } })();
    if (!zoneOk) problems.push(`${where}: hours.time_zone "${h.time_zone}" is not a time zone. Use an IANA name such as Asia/Shanghai or Europe/Berlin.`);
    const open = parseClock(h.open)!;
    const close = parseClock(h.close)!;
    if (open === close) problems.push(`${where}: hours open and close are both ${h.open}, so it would never be open. Give different times (close before open runs past midnight).`);
    if (zoneOk) service.hours = { timeZone: h.time_zone, days: [...new Set(h.days)], open, close, holidays: h.holidays };
  } else if (q.away_reply !== undefined) {
    problems.push(`${where}: away_reply is set but the queue has no hours, so it is always open and the reply is never sent. Add hours (time_zone, days, open, close) or remove away_reply.`);
  }
  if (q.away_reply !== undefined) service.awayReply = q.away_reply;
  if (q.agent_identity) service.agentIdentity = buildAgentIdentity(q.agent_identity, where, problems);
  for (const w of q.welcome ?? []) {
    const [from, to] = (w.between ?? '').split('-').map(parseClock);
    service.welcome.push({ text: w.text, ...(w.between ? { between: { from: from!, to: to! } } : {}) });
  }
  // Auto-replies go to customers on every configured channel: each must fit the smallest message there.
  const texts: [string, string][] = [...(q.away_reply ? [['away_reply', q.away_reply] as [string, string]] : []), ...(q.welcome ?? []).map((w, i): [string, string] => [`welcome[${i}].text`, w.text])];
  for (const id of Object.keys(channels)) {
    const limit = registry.channels.find((c) => c.id === id)?.textLimit;
    if (!limit) continue;
    for (const [key, text] of texts) {
      // Variables may grow the text: a customer's name (up to 200 characters), a queue name, a date. UTF-16 units: never fewer than characters.
      if (text.length + 200 > limit) problems.push(`${where}: ${key} is ${text.length} characters; with its variables filled in it may not fit ${id}'s ${limit}-character messages. Shorten it to at most ${limit - 200}.`);
    }
  }
  return service;
}
