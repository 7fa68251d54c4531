import type { RawFile } from 'discord.js';
import type { Attachment, Conversation } from '../../core/model.js';
import type { AdapterContext } from '../messenger-adapter.js';

/** Bots may upload 10 MiB per message unless the server is boosted. */
export const UPLOAD_LIMIT = 10 * 1024 * 1024;

/**
 * A customer message with files as one Discord message: up to ten files
 * uploaded, and a line (link or note) for each one that cannot be.
 */
export async function attachmentPost(conv: Conversation, caption: string, attachments: Attachment[], fetchMedia: AdapterContext['fetchMedia']): Promise<{ text: string; files: RawFile[] }> {
  const files: RawFile[] = [];
  const lines: string[] = [];
  for (const a of attachments) {
    const name = a.fileName ?? a.kind;
    const media = a.mediaId && files.length < 10 ? await fetchMedia(conv, a) : undefined;
    if (media && media.bytes.length <= UPLOAD_LIMIT) {
      files.push({ name: media.fileName, data: media.bytes });
      if (a.caption && a.caption !== caption) lines.push(a.caption);
    } else if (a.url) {
      // `<url>` inside the link keeps Discord from unfurling it.
      lines.push(`📎 [${name.replace(/[[\]]/g, '')}](<${a.url}>)${a.caption && a.caption !== caption ? ` ${a.caption}` : ''}`);
    } else if (media) {
      lines.push(`📎 ${name} (${(media.bytes.length / 1024 / 1024).toFixed(1)} MB: too large to upload to Discord)`);
    } else {
      lines.push(`📎 ${a.kind} (could not be fetched from the channel)`);
    }
  }
  return { text: [caption, ...lines].filter(Boolean).join('\n'), files };
}
