import { afterAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { KeptMedia } from '../../src/channels/wechat/kept-media.js';
import { WechatDeliverer } from '../../src/channels/wechat/deliver.js';
import type { WecomClient, WecomResult } from '../../src/channels/wechat/wecom-client.js';
import type { Conversation } from '../../src/core/model.js';
import { createLogger } from '../../src/runtime/logger.js';
import { embeddedHarness, redisHarness, type StoreHarness } from './store-harnesses.js';

type Media = { bytes: Buffer; contentType: string | undefined; fileName: string | undefined };

/** media/get as WeCom answers it: the bytes while it keeps them, then 40007 (invalid media_id). */
function mediaApi(files: Record<string, Buffer>) {
  const api = {
    calls: 0,
    expired: false,
    async getMedia(id: string): Promise<WecomResult<Media>> {
      api.calls += 1;
      const bytes = files[id];
      if (!bytes || api.expired) return { ok: false, error: { errcode: 40007, errmsg: 'invalid media_id' } };
      return { ok: true, value: { bytes, contentType: 'image/jpeg', fileName: 'parcel.jpg' } };
    },
  };
  return api;
}

const log = createLogger('silent', new Writable({ write(_c, _e, cb) { cb(); } }));
const conv = { id: 'c1', channel: 'wechat', account: 'wk1', customer: { id: 'wm1' } } as Conversation;

describe.each<() => StoreHarness>([embeddedHarness, redisHarness])('WeChat media kept on arrival', (makeHarness) => {
  const harness = makeHarness();
  afterAll(async () => { await harness.cleanup(); });

  it(`posts the thread's image from the copy kept on arrival after WeChat has dropped it, on the ${harness.name} store`, async () => {
    const store = await harness.open();
    try {
      const bytes = Buffer.from('\xff\xd8\xff\xe0 a jpeg', 'latin1');
      const api = mediaApi({ [`m-${harness.name}`]: bytes });
      const kept = new KeptMedia(store, api, log);
      await kept.keep([`m-${harness.name}`]);
      await kept.keep([`m-${harness.name}`]); // a re-served message: downloaded once
      expect(api.calls).toBe(1);
      api.expired = true; // three days later
      const deliverer = new WechatDeliverer(api as unknown as WecomClient, undefined as never, undefined as never, undefined as never, log, kept);
      expect(await deliverer.fetchMedia(conv, { kind: 'image', mediaId: `m-${harness.name}` })).toEqual({ bytes, fileName: 'parcel.jpg' });
      // Without a kept copy the thread post asks WeChat, which no longer has it.
      expect(await deliverer.fetchMedia(conv, { kind: 'image', mediaId: 'never-kept' })).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
