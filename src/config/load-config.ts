import { readFileSync } from 'node:fs';
import { buildQueues } from './build-queues.js';
import { buildRouting } from './build-routing.js';
import { buildSecurity, checkTimeZones } from './build-security.js';
import type { Config } from './config.js';
import { parseBootstrapAdmins } from './parse-bootstrap-admins.js';
import { readConfigFile } from './read-config-file.js';
import { readCustomerChannels } from './read-customer-channels.js';
import { readEnv } from './read-env.js';
import { readMessengers } from './read-messengers.js';
import { MODULES } from '../modules.js';
import type { Registry } from './registry.js';
import { fileSchemaFor } from './schema.js';
import { pickLanguage } from '../i18n/languages.js';
import { misspeltEnvNames } from './did-you-mean.js';
import { knownEnvNames, writtenQueueNames } from './known-names.js';

export { formatProblems } from './format-problems.js';

/** The loaded config, or every problem found, each with its fix. */
export type LoadResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/**
 * Reads the environment (passed in, never `process.env` directly) and the YAML
 * file, and returns either the config or every problem found, each with its
 * fix. Nothing is half-loaded.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
  registry: Registry = MODULES,
): LoadResult {
  const problems: string[] = [];
  const cleanEnv = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const { values: e, modules, ok: envOk } = readEnv(cleanEnv, registry, problems);
  const configFile = (cleanEnv.CONFIG_FILE as string | undefined) ?? 'config/bot.yaml';
  const fileSchema = fileSchemaFor(registry.messengers);
  // A bad file is reported here; the checks below still run on its valid parts (defaults elsewhere), so every problem shows at once.
  const { ok: fileOk, file: f, raw } = readConfigFile(fileSchema, configFile, Boolean(cleanEnv.CONFIG_FILE), readFile, problems);
  problems.push(...misspeltEnvNames(Object.keys(cleanEnv), knownEnvNames(registry)));

  const messengers = readMessengers(cleanEnv, modules, registry, problems);
  const channels = readCustomerChannels(cleanEnv, modules, f, configFile, registry, problems);
  const bootstrapAdmins = parseBootstrapAdmins(e.BOOTSTRAP_ADMINS, registry, problems);
  const queues = buildQueues(f.queues, messengers, channels, registry, configFile, problems);
  // Rules are checked against the queues as written, so a queue with its own problem is not reported twice.
  const routing = buildRouting(f.routing, [...new Set(['default', ...f.queues.map((q) => q.name), ...writtenQueueNames(raw)])], registry, configFile, problems);
  checkTimeZones(f.security, configFile, problems);
  const security = buildSecurity(f.security);

  if (problems.length || !envOk || !fileOk) return { ok: false, problems };
  return {
    ok: true,
    config: {
      http: { port: e.PORT, host: e.HOST, ...(e.METRICS_TOKEN ? { metricsToken: e.METRICS_TOKEN } : {}) },
      dataDir: e.DATA_DIR,
      redisUrl: e.REDIS_URL,
      redisPrefix: e.REDIS_PREFIX,
      logLevel: e.LOG_LEVEL ?? f.log_level,
      bootstrapAdmins,
      desk: { firstReplierClaims: f.desk.first_replier_claims, notePrefixes: f.desk.note_prefixes, commandPrefix: f.desk.command_prefix, language: pickLanguage(f.desk.language) },
      queues,
      routing,
      messengers,
      channels,
      registry,
      seatTemplates: f.seat_templates,
      security,
      shutdownDrainMs: (e.SHUTDOWN_DRAIN_SECONDS ?? f.outbox.shutdown_drain_seconds) * 1000,
    },
  };
}
