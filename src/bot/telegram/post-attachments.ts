import { InputFile, type Api } from 'grammy';
import type { Attachment, Conversation, ThreadRef } from '../../core/model.js';
import type { MediaFetcher } from '../messenger-adapter.js';
import { TELEGRAM_TEXT_LIMIT } from './render.js';

/** Media captions carry 0–1,024 characters. */
const CAPTION_LIMIT = 1024;

/**
 * The calls that post a customer message with files into its topic, one call
 * per step so the outbox can space them: a Telegram customer's `file_id` is
 * sent again as it is (photos as photos); other channels' media are fetched
 * and uploaded as documents; links, stickers and what could not be fetched go
 * in one text after them. The message's text is the first file's caption
 * when it fits, else a text of its own.
 */
export function attachmentSteps(api: Api, conv: Conversation, t: ThreadRef, text: string, attachments: readonly Attachment[], fetchMedia: MediaFetcher): (() => Promise<unknown>)[] {
  const where = { message_thread_id: Number(t.thread) };
  const steps: (() => Promise<unknown>)[] = [];
  const lines: string[] = [];
  let caption = text.length <= CAPTION_LIMIT ? text : '';
  if (text && !caption) lines.push(text);
  for (const a of attachments) {
    const options: { message_thread_id: number; caption?: string } = caption ? { ...where, caption } : where;
    if (a.mediaId && conv.channel === 'telegram' && a.kind !== 'sticker') {
      const id = a.mediaId;
      steps.push(() => (a.kind === 'image' ? api.sendPhoto(t.channel, id, options) : api.sendDocument(t.channel, id, options)));
      caption = '';
    } else if (a.mediaId && conv.channel !== 'telegram') {
      steps.push(async () => {
        const media = await fetchMedia(conv, a);
        if (media) return api.sendDocument(t.channel, new InputFile(media.bytes, media.fileName), options);
        return api.sendMessage(t.channel, [options.caption, `📎 ${a.kind} (could not be fetched from the channel)`].filter(Boolean).join('\n'), where);
      });
      caption = '';
    } else {
      lines.push(a.url ? `📎 ${a.fileName ?? a.kind}: ${a.url}` : `📎 ${a.kind}`);
    }
  }
  if (caption) lines.unshift(caption);
  if (lines.length) steps.push(() => api.sendMessage(t.channel, lines.join('\n').slice(0, TELEGRAM_TEXT_LIMIT), where));
  return steps;
}
