import { MB, type FileLimits } from '../../core/files/file-limits.js';

/**
 * What the Cloud API takes as media (Meta "Media" reference, supported media
 * types): images JPEG/PNG up to 5 MB; video MP4/3GPP (H.264 and AAC) and
 * audio AAC/AMR/MP3/MP4/OGG-Opus up to 16 MB; documents of the listed office
 * types, PDF and plain text up to 100 MB. Stickers (WebP) are not offered.
 */
export const WHATSAPP_FILE_LIMITS: FileLimits = [
  { kind: 'image', mimes: ['image/jpeg', 'image/png'], maxBytes: 5 * MB },
  { kind: 'video', mimes: ['video/mp4', 'video/3gpp'], maxBytes: 16 * MB },
  { kind: 'audio', mimes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'audio/opus'], maxBytes: 16 * MB },
  {
    kind: 'document',
    mimes: [
      'application/pdf', 'text/plain', 'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    ],
    maxBytes: 100 * MB,
  },
];

/** A media message's caption: at most 1,024 characters, on images, videos and documents (not audio). */
export const WHATSAPP_CAPTION = { limit: 1024, kinds: ['image', 'video', 'document'] } as const;
