import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startSlackFake, type SlackFake, type SlackFakeOptions } from '../../tests/fakes/slack/index.js';
import { startGraphFake, type GraphFake, type GraphFakeOptions } from '../../tests/fakes/whatsapp/start-graph-fake.js';
import { REDIS_URL, SECRETS, type StoreKind } from '../../tests/support/start-desk.js';
import { deleteRedisKeys } from './delete-redis-keys.js';

/** Log lines at warn or above, counted and kept (the first few) so a run can show why it went wrong. */
export interface LogTally {
  warnings: number;
  errors: number;
  firstProblems: string[];
}

export interface BenchDesk {
  app: RunningApp;
  slack: SlackFake;
  graph: GraphFake;
  store: StoreKind;
  prefix: string;
  logs: LogTally;
  close(): Promise<void>;
}

export interface BenchDeskOptions {
  store: StoreKind;
  slack: SlackFakeOptions;
  graph: Partial<GraphFakeOptions>;
  /** The YAML config file (queues…); absent: none, one default queue. */
  yaml?: string;
  /** Turn the HTTP API on (INBOUND_API_SECRET, e.g. for GET /api/stats). */
  api?: boolean;
  /** More environment (a channel's variables). */
  env?: Record<string, string>;
}

/**
 * Starts the real app (HTTP server, bolt, outbox, store) against the Slack and
 * Graph fakes on 127.0.0.1, like tests/support/start-desk.ts, but logging at
 * `info` (the production default) rather than `debug`: per-call debug lines
 * would be part of what a latency figure measures.
 */
export async function startBenchDesk(o: BenchDeskOptions): Promise<BenchDesk> {
  const slack = await startSlackFake(o.slack);
  const graph = await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret, ...o.graph });
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-bench-'));
  const prefix = `td-bench-${randomBytes(4).toString('hex')}:`;
  const env: Record<string, string> = {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONFIG_FILE: 'inline.yaml', LOG_LEVEL: 'info',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url,
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...(o.store === 'redis' ? { REDIS_URL } : {}),
    ...(o.api ? { INBOUND_API_SECRET: SECRETS.apiSecret } : {}),
    ...o.env,
  };
  const loaded = loadConfig(env, () => o.yaml ?? '');
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const logs: LogTally = { warnings: 0, errors: 0, firstProblems: [] };
  const sink = new Writable({
    write(chunk, _enc, cb) {
      const line = String(chunk);
      const level = Number(/"level":(\d+)/.exec(line)?.[1] ?? 0);
      if (level >= 50) logs.errors += 1;
      else if (level >= 40) logs.warnings += 1;
      if (level >= 40 && logs.firstProblems.length < 5) logs.firstProblems.push(line.trim());
      cb();
    },
  });
  const app = await startApp(loaded.config, { prefix, log: createLogger('info', sink) });
  graph.webhookUrl = `${app.url}/webhooks/whatsapp`;
  return {
    app, slack, graph, store: o.store, prefix, logs,
    async close() {
      await app.shutdown();
      await Promise.all([slack.close(), graph.close()]);
      rmSync(dataDir, { recursive: true, force: true });
      if (o.store === 'redis') await deleteRedisKeys(REDIS_URL, prefix);
    },
  };
}
