import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load-config.js';
import { createLogger } from '../../src/runtime/logger.js';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startCallbackReceiver, type CallbackReceiver } from '../fakes/api/start-callback-receiver.js';
import { postApiMessage } from '../fakes/api/send-api-message.js';
import { REDIS_URL, SECRETS } from '../support/start-desk.js';

/**
 * SPEC §4: REDIS_PREFIX lets several installs share one Redis. Two desks
 * started from the environment alone (no prefix given by the test, so the
 * config value is what counts) on one Redis: the same API message id is new to
 * each, each posts only its own customer's message into its own Slack, and
 * neither sees the other's conversation.
 */

interface Install { app: RunningApp; slack: SlackFake; callbacks: CallbackReceiver; dataDir: string }

const run = randomBytes(4).toString('hex');
const PREFIX_A = `td-prefix-a-${run}:`;
const PREFIX_B = `td-prefix-b-${run}:`;

async function startInstall(prefix: string): Promise<Install> {
  const slack = await startSlackFake();
  const callbacks = await startCallbackReceiver({ secret: SECRETS.apiSecret });
  const dataDir = mkdtempSync(join(tmpdir(), 'threaddesk-prefix-'));
  const env = {
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CONFIG_FILE: 'inline.yaml',
    SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRETS.slackSigning, SLACK_CHANNEL: 'C0SUPPORT', SLACK_API_URL: slack.url,
    INBOUND_API_SECRET: SECRETS.apiSecret, SHUTDOWN_DRAIN_SECONDS: '0',
    REDIS_URL, REDIS_PREFIX: prefix,
  };
  const loaded = loadConfig(env, () => `api:\n  sources:\n    crm:\n      callback_url: ${callbacks.url}/threaddesk\n`);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const quiet = new Writable({ write(_c, _e, cb) { cb(); } });
  const app = await startApp(loaded.config, { log: createLogger('warn', quiet) });
  return { app, slack, callbacks, dataDir };
}

async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    found.push(...batch);
  } while (cursor !== '0');
  return found;
}

const posted = (slack: SlackFake) => slack.messages.map((m) => m.text).join('\n');

describe('REDIS_PREFIX: two installs on one Redis', () => {
  let a: Install;
  let b: Install;
  let redis: Redis;
  let convA = '';

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    [a, b] = await Promise.all([startInstall(PREFIX_A), startInstall(PREFIX_B)]);
  });
  afterAll(async () => {
    for (const i of [a, b]) {
      if (!i) continue;
      await i.app.shutdown();
      await Promise.all([i.slack.close(), i.callbacks.close()]);
      rmSync(i.dataDir, { recursive: true, force: true });
    }
    for (const prefix of [PREFIX_A, PREFIX_B]) {
      const keys = await keysUnder(redis, prefix);
      if (keys.length) await redis.del(...keys);
    }
    await redis.quit();
  });

  it('keep their messages, dedupe marks, conversations and outboxes apart', async () => {
    const message = { source: 'crm', message_id: `same-id-${run}`, customer: { id: 'cust-1', name: 'Casey' } };
    const toA = await postApiMessage(a.app.url, SECRETS.apiSecret, { ...message, text: 'hello install A' });
    expect(toA.status, toA.text).toBe(202);
    // The same message id is new to B: its dedupe marks are its own.
    const toB = await postApiMessage(b.app.url, SECRETS.apiSecret, { ...message, text: 'hello install B' });
    expect(toB.status, toB.text).toBe(202);

    await a.slack.waitFor((s) => posted(s).includes('hello install A'), 10_000);
    await b.slack.waitFor((s) => posted(s).includes('hello install B'), 10_000);
    // Time for a worker that could see the other install's outbox to post from it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(posted(a.slack)).not.toContain('hello install B');
    expect(posted(b.slack)).not.toContain('hello install A');

    convA = (JSON.parse(toA.text) as { conversation_id: string }).conversation_id;
    const convB = (JSON.parse(toB.text) as { conversation_id: string }).conversation_id;
    expect(await b.app.desk.conversations.get(convA)).toBeUndefined();
    expect(await a.app.desk.conversations.get(convB)).toBeUndefined();
    expect(await a.app.desk.conversations.get(convA)).toBeDefined();
  });

  it('writes every key of each install under its own prefix', async () => {
    const [underA, underB] = await Promise.all([keysUnder(redis, PREFIX_A), keysUnder(redis, PREFIX_B)]);
    expect(underA.length).toBeGreaterThan(0);
    expect(underB.length).toBeGreaterThan(0);
    // Whatever names A's conversation anywhere in Redis is A's.
    expect(convA).not.toBe('');
    const mentioning = await keysUnder(redis, `*${convA}`);
    expect(mentioning.length).toBeGreaterThan(0);
    expect(mentioning.filter((k) => !k.includes(PREFIX_A))).toEqual([]);
  });
});
