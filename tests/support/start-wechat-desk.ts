import { wechatChannelWith } from '../../src/channels/wechat/module.js';
import { keys } from '../../src/core/keys.js';
import type { Conversation } from '../../src/core/model.js';
import { MODULES } from '../../src/modules.js';
import { startWecomFake, type WecomFake } from '../fakes/wecom/index.js';
import { deleteRedisKeys } from '../store/store-harnesses.js';
import { startDesk, type DeskHarness, type HarnessOptions, type StoreKind } from './start-desk.js';

/** The WECOM_* variables that point the bot at a WeCom fake. */
export function wecomEnv(fake: WecomFake): Record<string, string> {
  return {
    WECOM_CORP_ID: fake.corpId, WECOM_SECRET: fake.corpSecret, WECOM_TOKEN: fake.callbackToken,
    WECOM_ENCODING_AES_KEY: fake.encodingAesKey, WECOM_API_URL: fake.url,
  };
}

export interface WechatDesk {
  h: DeskHarness;
  fake: WecomFake;
  /** The conversation of a WeChat customer of the fake's first account, once it exists. */
  conversationOf(customer: string): Promise<Conversation | undefined>;
  /** Where the customer's conversation is mirrored, once its thread is open (up to 10 s). */
  threadOf(customer: string): Promise<{ channel: string; thread: string }>;
  /** The customer's texts as the desk recorded them, in order. */
  customerTexts(customer: string): Promise<string[]>;
  /** Stops the app only (unless the test did), keeping fakes, data and prefix, and starts it again on them. */
  restart(o?: { alreadyStopped?: boolean }): Promise<void>;
  close(): Promise<void>;
}

/**
 * The real app with WeChat configured against a WeCom fake (beside the usual
 * Slack and Graph fakes). `pageLimit` makes sync_msg pages small, so a test
 * sees several pages without pushing a thousand messages.
 */
export async function startWechatDesk(o: { store: StoreKind; pageLimit?: number; yaml?: string; fake?: WecomFake }): Promise<WechatDesk> {
  const fake = o.fake ?? (await startWecomFake());
  const registry = { ...MODULES, channels: [...MODULES.channels.filter((c) => c.id !== 'wechat'), wechatChannelWith({ ...(o.pageLimit ? { pageLimit: o.pageLimit } : {}) })] };
  const options: HarnessOptions = { store: o.store, env: wecomEnv(fake), registry, slack: { postRate: false, tierRate: false }, ...(o.yaml ? { yaml: o.yaml } : {}) };
  let h = await startDesk(options);
  fake.callbackUrl = `${h.app.url}/webhooks/wechat`;
  const desk: WechatDesk = {
    get h() { return h; },
    fake,
    async conversationOf(customer) {
      const id = await h.app.store.getString(keys.customerConversation('wechat', fake.openKfId, customer));
      return id ? h.app.desk.conversations.get(id) : undefined;
    },
    async threadOf(customer) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const thread = (await desk.conversationOf(customer))?.thread;
        if (thread) return { channel: thread.channel, thread: thread.thread };
        if (Date.now() > deadline) throw new Error(`no thread was opened for WeChat customer ${customer} within 10 s`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async customerTexts(customer) {
      const conv = await desk.conversationOf(customer);
      if (!conv) return [];
      return (await h.app.desk.conversations.transcript(conv.id)).filter((e) => e.direction === 'in').map((e) => e.text);
    },
    async restart(r = {}) {
      if (!r.alreadyStopped) await h.app.shutdown();
      h = await startDesk({ ...options, reuse: { slack: h.slack, graph: h.graph, callbacks: h.callbacks, dataDir: h.dataDir, prefix: h.prefix } });
      fake.callbackUrl = `${h.app.url}/webhooks/wechat`;
    },
    async close() {
      await h.close();
      await fake.close();
      if (o.store === 'redis') await deleteRedisKeys(h.prefix);
    },
  };
  return desk;
}
