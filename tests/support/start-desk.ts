import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { Registry } from '../../src/config/registry.js';
import type { Clock } from '../../src/core/ports.js';
import { createLogger } from '../../src/runtime/logger.js';
import { systemClock } from '../../src/runtime/system-clock.js';
import { startSlackFake, type SlackFake, type SlackFakeOptions } from '../fakes/slack/index.js';
import { startGraphFake, type GraphFake, type GraphFakeOptions } from '../fakes/whatsapp/start-graph-fake.js';
import { startCallbackReceiver, type CallbackReceiver } from '../fakes/api/start-callback-receiver.js';
import { testRedisPrefix } from './redis-test-keys.js';

export const SECRETS = {
  slackSigning: 'slack-signing-secret-for-tests',
  waAppSecret: 'wa-app-secret-for-tests',
  waVerify: 'wa-verify-token',
  waToken: 'EAAtest-access-token',
  phoneNumberId: '106540352242922',
  apiSecret: 'inbound-api-secret-0123456789',
} as const;

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export type StoreKind = 'embedded' | 'redis';

/** A clock tests can move forward (the domain's time; signatures keep real time). */
export class TestClock implements Clock {
  offset = 0;
  /** Where {@link freeze} stopped the domain's time, until {@link resume}. */
  private frozenAt: number | undefined;
  now(): number { return this.frozenAt ?? Date.now() + this.offset; }
  /** Waits in real time: what the app waits for (a lock's holder) runs in real time too. */
  sleep(ms: number): Promise<void> { return systemClock.sleep(ms); }
  advance(ms: number): void {
    if (this.frozenAt === undefined) this.offset += ms;
    else this.frozenAt += ms;
  }
  /**
   * Stops the domain's time where it is (real time, and sleeps, go on), so a window the app
   * measures on this clock (a freshness, a due time) cannot run out on a stalled machine.
   */
  freeze(): void { this.frozenAt = this.now(); }
  /** Lets the domain's time run on from where {@link freeze} stopped it. */
  resume(): void {
    if (this.frozenAt === undefined) return;
    this.offset = this.frozenAt - Date.now();
    this.frozenAt = undefined;
  }
}

export interface DeskHarness {
  app: RunningApp;
  slack: SlackFake;
  graph: GraphFake;
  callbacks: CallbackReceiver;
  clock: TestClock;
  logs: string[];
  dataDir: string;
  prefix: string;
  /** Stops the app (and, unless `keepFakes`, the fakes) and removes the data dir. */
  close(opts?: { keepFakes?: boolean; keepData?: boolean }): Promise<void>;
}

/** The default queue without assignment: conversations wait for a claim by hand. */
export const MANUAL_DEFAULT_QUEUE = 'queues:\n  - name: default\n    assignment: manual\n';

export interface HarnessOptions {
  store: StoreKind;
  slack?: SlackFakeOptions;
  graph?: Partial<GraphFakeOptions>;
  env?: Record<string, string>;
  /** More of the YAML config file (queues, seat templates…), appended to the test's own. */
  yaml?: string;
  /** Reuse running fakes / data (a second replica, a restart). */
  reuse?: { slack: SlackFake; graph: GraphFake; callbacks: CallbackReceiver; dataDir?: string; prefix?: string };
  /** The messengers and channels the app knows (default: the shipped ones, src/modules.ts). */
  registry?: Registry;
}

/**
 * Starts the real app (HTTP server, bolt, outbox, store) against local fakes
 * of Slack, the Graph API and an API callback receiver.
 */
export async function startDesk(o: HarnessOptions): Promise<DeskHarness> {
  const slack = o.reuse?.slack ?? (await startSlackFake(o.slack));
  const callbacks = o.reuse?.callbacks ?? (await startCallbackReceiver({ secret: SECRETS.apiSecret }));
  const graph = o.reuse?.graph ?? (await startGraphFake({ accessToken: SECRETS.waToken, phoneNumberId: SECRETS.phoneNumberId, appSecret: SECRETS.waAppSecret, ...o.graph }));
  const dataDir = o.reuse?.dataDir ?? mkdtempSync(join(tmpdir(), 'threaddesk-test-'));
  const prefix = o.reuse?.prefix ?? testRedisPrefix();
  const env: Record<string, string> = {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir,
    CONFIG_FILE: 'inline.yaml',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    WHATSAPP_ACCESS_TOKEN: SECRETS.waToken, WHATSAPP_APP_SECRET: SECRETS.waAppSecret, WHATSAPP_VERIFY_TOKEN: SECRETS.waVerify,
    WHATSAPP_PHONE_NUMBER_ID: SECRETS.phoneNumberId, WHATSAPP_API_URL: graph.url,
    INBOUND_API_SECRET: SECRETS.apiSecret,
    BOOTSTRAP_ADMINS: 'slack:U0AGENT',
    SHUTDOWN_DRAIN_SECONDS: '0',
    ...(o.store === 'redis' ? { REDIS_URL } : {}),
    ...o.env,
  };
  // Tests claim by hand unless they configure queues of their own (routing and assignment tests do).
  const queues = /^queues:/m.test(o.yaml ?? '') ? '' : MANUAL_DEFAULT_QUEUE;
  const yaml = `api:\n  sources:\n    crm:\n      callback_url: ${callbacks.url}/threaddesk\n${queues}${o.yaml ?? ''}`;
  const loaded = loadConfig(env, () => yaml, o.registry);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const clock = new TestClock();
  const app = await startApp(loaded.config, { clock, prefix, log: createLogger('debug', sink) });
  // Webhook deliveries of the Graph fake (statuses) go to this app.
  graph.webhookUrl = `${app.url}/webhooks/whatsapp`;
  return {
    app, slack, graph, callbacks, clock, logs, dataDir, prefix,
    async close(c = {}) {
      await app.shutdown();
      if (!c.keepFakes) await Promise.all([slack.close(), graph.close(), callbacks.close()]);
      if (!c.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
