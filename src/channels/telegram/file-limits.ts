import { MB, type FileLimits } from '../../core/files/file-limits.js';

/**
 * What a bot may send a Telegram user (Bot API sendPhoto / sendDocument):
 * photos up to 10 MB, shown inline; any other file up to 50 MB as a document.
 */
export const TELEGRAM_CUSTOMER_FILE_LIMITS: FileLimits = [
  { kind: 'image', mimes: ['image/jpeg', 'image/png', 'image/webp'], maxBytes: 10 * MB },
  { kind: 'document', mimes: 'any', maxBytes: 50 * MB },
];

/** Captions of photos and documents: at most 1,024 characters. */
export const TELEGRAM_CAPTION = { limit: 1024, kinds: ['image', 'document'] } as const;
