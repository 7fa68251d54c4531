import type { KeyValuePort } from '../../core/ports.js';
import type { Logger } from '../../runtime/logger.js';
import type { WecomClient } from './wecom-client.js';

/** WeChat keeps a customer's media 3 days (platform-facts.md §2); the desk keeps its copy this long. */
const KEEP_MS = 30 * 24 * 3600_000;
/** WeChat's largest customer media (a file) is 20 MB; anything larger is not kept (the thread says what it was). */
const MAX_BYTES = 20 * 2 ** 20;

interface StoredMedia { data: string; contentType?: string; fileName?: string }

/**
 * A customer's images, voice, video and files, downloaded with `media/get`
 * when the message arrives and kept in the store, so the thread still gets
 * them when it is posted later than WeChat keeps them (a messenger down for
 * days). A download that fails is logged; the thread post then tries
 * `media/get` again.
 */
export class KeptMedia {
  constructor(
    private readonly store: Pick<KeyValuePort, 'get' | 'set'>,
    private readonly client: Pick<WecomClient, 'getMedia'>,
    private readonly log: Logger,
  ) {}

  async keep(mediaIds: readonly string[]): Promise<void> {
    for (const id of mediaIds) {
      if (await this.store.get<StoredMedia>(key(id))) continue;
      const r = await this.client.getMedia(id);
      if (!r.ok) { this.log.warn({ errcode: r.error.errcode }, 'could not download WeChat media on arrival; the thread post will try again'); continue; }
      if (r.value.bytes.length > MAX_BYTES) { this.log.warn({ bytes: r.value.bytes.length }, 'WeChat media over 20 MB was not kept'); continue; }
      await this.store.set<StoredMedia>(key(id), {
        data: r.value.bytes.toString('base64'),
        ...(r.value.contentType ? { contentType: r.value.contentType } : {}),
        ...(r.value.fileName ? { fileName: r.value.fileName } : {}),
      }, KEEP_MS);
    }
  }

  async get(mediaId: string): Promise<{ bytes: Buffer; contentType: string | undefined; fileName: string | undefined } | undefined> {
    const m = await this.store.get<StoredMedia>(key(mediaId));
    return m ? { bytes: Buffer.from(m.data, 'base64'), contentType: m.contentType, fileName: m.fileName } : undefined;
  }
}

const key = (mediaId: string) => `wechat:media:${mediaId}`;
