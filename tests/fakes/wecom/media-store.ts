import { randomBytes } from 'node:crypto';

/** Temporary media is kept 3 days (media/get doc; errcode 40007 names expiry as a cause). */
export const MEDIA_LIFETIME_MS = 3 * 24 * 3600_000;

export type MediaType = 'image' | 'voice' | 'video' | 'file';
export const MEDIA_TYPES: readonly MediaType[] = ['image', 'voice', 'video', 'file'];

/**
 * Size limits of `media/upload` (path/90253): image 10 MB (older copies of
 * the page say 2 MB), voice 2 MB, video 10 MB, file 20 MB, and "every file
 * must be larger than 5 bytes"; the errcode for each type's size: 40009
 * image, 40011 video, 40006 otherwise.
 */
export const MEDIA_LIMITS: Readonly<Record<MediaType, { maxBytes: number; sizeErrcode: number }>> = {
  image: { maxBytes: 10 * 1024 * 1024, sizeErrcode: 40009 },
  voice: { maxBytes: 2 * 1024 * 1024, sizeErrcode: 40006 },
  video: { maxBytes: 10 * 1024 * 1024, sizeErrcode: 40011 },
  file: { maxBytes: 20 * 1024 * 1024, sizeErrcode: 40006 },
};
/** A file must be larger than this. */
export const MIN_MEDIA_BYTES = 5;

export interface StoredMedia {
  mediaId: string;
  type: MediaType;
  bytes: Buffer;
  contentType: string;
  filename: string;
  /** When it was registered or uploaded, in ms. */
  createdAt: number;
  /** True for files the bot uploaded, false for what a test registered. */
  uploaded: boolean;
}

/** Media by media_id: what customers sent (registered by tests) and what the bot uploaded. */
export class MediaStore {
  private readonly items = new Map<string, StoredMedia>();

  constructor(private readonly now: () => number) {}

  add(item: Omit<StoredMedia, 'mediaId' | 'createdAt'> & { mediaId?: string; createdAt?: number }): StoredMedia {
    // WeCom media ids are long opaque strings (e.g. "2iSLeVyqzk4eX0IB5kTi9Ljfa2rt9dwfq5WKRQ4Nvvgw").
    const stored: StoredMedia = {
      ...item,
      mediaId: item.mediaId ?? `3${randomBytes(30).toString('base64url')}`,
      createdAt: item.createdAt ?? this.now(),
    };
    this.items.set(stored.mediaId, stored);
    return stored;
  }

  /** The item while it lives; undefined when unknown or older than 3 days. */
  get(mediaId: string): StoredMedia | undefined {
    const item = this.items.get(mediaId);
    return item && this.now() - item.createdAt < MEDIA_LIFETIME_MS ? item : undefined;
  }

  all(): StoredMedia[] {
    return [...this.items.values()];
  }

  clear(): void {
    this.items.clear();
  }
}
