import type { StorePort } from '../../core/ports.js';
import { randomHex } from '../../runtime/random-hex.js';

/** SPEC §12: a visitor's attachment is at most 10 MB. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** Types shown inline in the widget; anything else is offered as a download. */
export const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Kept as long as a visitor's session: the history links to them. */
const FILE_TTL_MS = 180 * 24 * 3600_000;

/** What the widget and the history know of a file. */
export interface FileInfo {
  id: string;
  name: string;
  mime: string;
  size: number;
}

interface StoredFile extends FileInfo {
  visitorId: string;
  /** The bytes, base64: the store holds JSON values, on the embedded store and Redis alike, so every replica serves them. */
  data: string;
}

/**
 * Visitors' uploads, in the store. A file's id is 128 random bits and is the
 * capability to read it: the widget shows images by it, and only the
 * visitor who uploaded it can attach it to a message.
 */
export class WebchatFiles {
  constructor(private readonly store: StorePort) {}

  async put(visitorId: string, bytes: Buffer, mime: string, name: string): Promise<FileInfo> {
    const info: FileInfo = { id: randomHex(16), name, mime, size: bytes.length };
    await this.store.set<StoredFile>(`webchat:file:${info.id}`, { ...info, visitorId, data: bytes.toString('base64') }, FILE_TTL_MS);
    return info;
  }

  /** The file's description, when it exists and `visitorId` uploaded it. */
  async ownedBy(id: string, visitorId: string): Promise<FileInfo | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    const f = await this.store.get<StoredFile>(`webchat:file:${id}`);
    return f && f.visitorId === visitorId ? { id: f.id, name: f.name, mime: f.mime, size: f.size } : undefined;
  }

  async read(id: string): Promise<(FileInfo & { bytes: Buffer }) | undefined> {
    if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
    const f = await this.store.get<StoredFile>(`webchat:file:${id}`);
    return f ? { id: f.id, name: f.name, mime: f.mime, size: f.size, bytes: Buffer.from(f.data, 'base64') } : undefined;
  }
}
