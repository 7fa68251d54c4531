import type { ConfiguredChannel } from '../channels/channel-module.js';
import type { Registry } from './registry.js';
import type { FileConfig } from './schema.js';

/** Customer channels: each registered module reads its own variables; at least one that customers can reach on its own. */
export function readCustomerChannels(
  given: Record<string, string | undefined>,
  values: Record<string, unknown>,
  file: FileConfig,
  configFile: string,
  registry: Registry,
  problems: string[],
): Record<string, ConfiguredChannel> {
  const configured: Record<string, ConfiguredChannel> = {};
  let standalone = false;
  for (const c of registry.channels) {
    const r = c.read({ given, values, file, configFile }, problems);
    // A channel without its own way to turn on (Telegram rides on the messenger's bot) does not count.
    if (c.howToEnable !== undefined) standalone ||= r.mentioned;
    if (r.configured) configured[c.id] = r.configured;
  }
  if (!standalone) {
    const ways = registry.channels.flatMap((c) => (c.howToEnable ? [c.howToEnable] : []));
    problems.push(`No customer channel is configured, so no customer can reach the desk. Set ${ways.join(', or ')}.`);
  }
  return configured;
}
