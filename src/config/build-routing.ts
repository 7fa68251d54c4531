import type { Config } from './config.js';
import type { Registry } from './registry.js';
import type { FileConfig } from './schema.js';

/** `routing:` of the file, checked against the queues and channels: every problem is named with its fix. */
export function buildRouting(routing: FileConfig['routing'], queueNames: readonly string[], registry: Registry, configFile: string, problems: string[]): Config['routing'] {
  // The channels this build knows, set up or not: a rule may be written before its channel's variables are.
  const channels = registry.channels.map((c) => c.id);
  routing.rules.forEach((r, i) => {
    const where = `${configFile}: routing.rules[${i}]`;
    if (!queueNames.includes(r.queue)) {
      problems.push(`${where} sends conversations to queue "${r.queue}", which is not in queues. Add it to queues or use one of: ${queueNames.join(', ')}.`);
    }
    if (r.channel !== undefined && !channels.includes(r.channel)) {
      problems.push(`${where} names channel "${r.channel}", which this desk does not know. Use one of: ${channels.join(', ')}.`);
    }
  });
  if (routing.underload > routing.overload) {
    problems.push(`${configFile}: routing.underload (${routing.underload}) is above routing.overload (${routing.overload}), so rebalancing could never apply. Make underload at most overload.`);
  }
  return {
    rules: routing.rules.map((r) => ({
      queue: r.queue,
      ...(r.channel !== undefined ? { channel: r.channel } : {}),
      ...(r.account !== undefined ? { account: r.account } : {}),
      ...(r.keywords ? { keywords: r.keywords } : {}),
      ...(r.customer_tags ? { customerTags: r.customer_tags } : {}),
    })),
    overload: routing.overload,
    underload: routing.underload,
  };
}
