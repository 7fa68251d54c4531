import type { ConfiguredMessenger } from '../bot/messenger-module.js';
import type { Registry } from './registry.js';

/** The messengers agents work in: each registered module reads its own variables; at least one must be on. */
export function readMessengers(given: Record<string, string | undefined>, values: Record<string, unknown>, registry: Registry, problems: string[]): Record<string, ConfiguredMessenger> {
  const configured: Record<string, ConfiguredMessenger> = {};
  let mentioned = false;
  for (const m of registry.messengers) {
    const r = m.read(given, values, problems);
    mentioned ||= r.mentioned;
    if (r.configured) configured[m.id] = r.configured;
  }
  if (!mentioned) {
    problems.push(`No messenger is configured, so agents would have nowhere to see conversations. Set ${registry.messengers.map((m) => m.howToEnable).join('; or ')}.`);
  }
  return configured;
}
