import type { Registry } from './registry.js';
import { envSchema } from './schema.js';

/** Every environment variable threaddesk reads: the desk's own and each registered module's. */
export function knownEnvNames(registry: Registry): ReadonlySet<string> {
  return new Set([...Object.keys(envSchema.shape), ...[...registry.messengers, ...registry.channels].flatMap((m) => Object.keys(m.env))]);
}

/** Queue names as the YAML writes them, even in a queue whose other fields are wrong (a routing rule naming it is not wrong too). */
export function writtenQueueNames(raw: unknown): string[] {
  const queues = (raw as { queues?: unknown } | null)?.queues;
  return Array.isArray(queues) ? queues.flatMap((q) => (typeof (q as { name?: unknown } | null)?.name === 'string' ? [(q as { name: string }).name] : [])) : [];
}
