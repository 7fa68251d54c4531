import { z } from 'zod';
import { systemClock } from '../../runtime/system-clock.js';
import { randomHex } from '../../runtime/random-hex.js';
import { defineChannel } from '../channel-module.js';
import { WecomAccessTokens } from './access-token.js';
import { ReplyAllowance, WECHAT_WINDOW_HOURS } from './allowance.js';
import { KeptMedia } from './kept-media.js';
import { WECHAT_BUDGETS } from './budgets.js';
import { aesKeyOf } from './crypto.js';
import { WECHAT_FILE_LIMITS } from './send-media.js';
import { WechatDeliverer, WECHAT_TEXT_BYTES } from './deliver.js';
import { KfPuller } from './pull-messages.js';
import { wechatRoutes } from './routes.js';
import { WecomClient } from './wecom-client.js';

const VARIABLES = ['WECOM_CORP_ID', 'WECOM_SECRET', 'WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'] as const;

/** Settings of a configured WeChat Customer Service channel. */
export interface WechatSettings {
  corpId: string;
  secret: string;
  token: string;
  encodingAesKey: string;
  apiUrl: string;
}

/** What tests and benchmarks may change; production uses the defaults. */
export interface WechatChannelOptions {
  /** Messages per `sync_msg` page (WeCom allows at most 1000, the default). */
  pageLimit?: number;
}

/**
 * WeChat Customer Service (微信客服) through WeCom: encrypted callbacks at
 * `GET|POST /webhooks/wechat`, messages pulled with `kf/sync_msg`, replies
 * with `kf/send_msg` within 5 messages per customer message and 48 hours.
 */
export const wechatChannel = wechatChannelWith({});

/** The channel module with options (a smaller sync page lets a test see several pages). */
export function wechatChannelWith(options: WechatChannelOptions) {
  return defineChannel({
    id: 'wechat',
    label: 'WeChat',
    env: {
      WECOM_CORP_ID: z.string().min(1).optional(),
      WECOM_SECRET: z.string().min(1).optional(),
      WECOM_TOKEN: z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'letters and digits, at most 32').optional(),
      WECOM_ENCODING_AES_KEY: z.string().refine((k) => aesKeyOf(k) !== undefined, '43 characters of letters and digits').optional(),
      WECOM_API_URL: z.url({ protocol: /^https?$/ }).default('https://qyapi.weixin.qq.com'),
    },
    envFixes: {
      WECOM_TOKEN: 'Copy the Token from the callback settings of WeChat Customer Service in the WeCom admin console (Customer Service → API → callback).',
      WECOM_ENCODING_AES_KEY: 'Copy the EncodingAESKey (43 characters) from the same callback settings, or press "random" there and copy the new one.',
      WECOM_API_URL: 'Use the WeCom API base without a path, such as https://qyapi.weixin.qq.com.',
    },
    howToEnable: 'the four WECOM_* variables for WeChat Customer Service',
    read({ values: e }, problems) {
      const missing = VARIABLES.filter((k) => !e[k]);
      if (missing.length === VARIABLES.length) return { mentioned: false };
      if (missing.length) {
        problems.push(`WeChat Customer Service is half configured: ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing. Set all four from the WeCom admin console (the corp id under My Company; the secret, Token and EncodingAESKey under WeChat Customer Service → API), or unset the others.`);
        return { mentioned: true };
      }
      if (!e.WECOM_CORP_ID || !e.WECOM_SECRET || !e.WECOM_TOKEN || !e.WECOM_ENCODING_AES_KEY || !e.WECOM_API_URL) return { mentioned: true };
      const settings: WechatSettings = {
        corpId: e.WECOM_CORP_ID, secret: e.WECOM_SECRET, token: e.WECOM_TOKEN, encodingAesKey: e.WECOM_ENCODING_AES_KEY, apiUrl: e.WECOM_API_URL.replace(/\/+$/, ''),
      };
      return { mentioned: true, settings };
    },
    // The core's window counts from when a message arrived; deliver.ts also checks it from the message's send_time.
    replyWindowMs: WECHAT_WINDOW_HOURS * 3600_000,
    // 2048 bytes; a UTF-16 unit is at most 3 UTF-8 bytes, so 682 units always fit (longer replies are split by bytes).
    textLimit: Math.floor(WECHAT_TEXT_BYTES / 3),
    fileLimits: WECHAT_FILE_LIMITS,
    // A delete within 2 minutes is recalled; an edit or a later delete is answered in the thread (recall-reply.ts).
    changesReplies: true,
    budgets: WECHAT_BUDGETS,
    create(s, { desk, store, log, metrics, reportSendFailure, fetchAgentFile }) {
      const clog = log.child({ channel: 'wechat' });
      const newId = () => randomHex(8);
      // The desk's clock, so tests can move the 48 h; locks wait in real time.
      const clock = { now: () => desk.clock.now(), sleep: (ms: number) => systemClock.sleep(ms) };
      const tokens = new WecomAccessTokens({ apiUrl: s.apiUrl, corpId: s.corpId, secret: s.secret, store, clock, newId, log: clog });
      const client = new WecomClient(s.apiUrl, tokens);
      const allowance = new ReplyAllowance({ store, clock, newId });
      const kept = new KeptMedia(store, client, clog);
      const puller = new KfPuller({
        client, store, desk, allowance, log: clog, metrics, instanceId: `wechat-${randomHex(8)}`, newId, reportSendFailure, greeting: { desk, client }, kept,
        ...(options.pageLimit ? { pageLimit: options.pageLimit } : {}),
      });
      const deliverer = new WechatDeliverer(client, desk, allowance, store, clog, kept, fetchAgentFile);
      // A pull a restart interrupted goes on now; the callback's token may have expired, then it pulls without one.
      void puller.resumePending().catch((err: unknown) => clog.warn({ err: String(err) }, 'could not look for WeChat pulls left pending'));
      // …and again every lease lifetime: a pull whose lease a dead process held is taken up once it expires.
      puller.startSweep(30_000);
      return {
        deliverer,
        routes: wechatRoutes({ secrets: { token: s.token, encodingAesKey: s.encodingAesKey, corpId: s.corpId }, puller, log, metrics }),
        fetchMedia: (conv, a) => deliverer.fetchMedia(conv, a),
        stop: () => puller.stop(),
      };
    },
  });
}
