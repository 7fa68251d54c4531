import type { ChannelTraits } from '../channel-traits.js';
import { fail, ok, type Result } from '../result.js';
import type { AgentFile } from './agent-file.js';

/** How a channel shows a file: its message types (WhatsApp image/document…, WeChat image/file…). */
export type FileKind = 'image' | 'video' | 'audio' | 'document';

/** One kind of file a channel takes: the MIME types it accepts (`any`: every type) and the largest size. */
export interface FileRule {
  kind: FileKind;
  mimes: readonly string[] | 'any';
  maxBytes: number;
}

/**
 * What files a channel takes, rules in order: a file goes as the first rule
 * whose types include its type; a file no rule takes is refused. A channel
 * with no rules takes no files.
 */
export type FileLimits = readonly FileRule[];

export const MB = 1024 * 1024;

/** The rule a file of this type falls under (an image too big for `image` is not sent as a document: the agent decides). */
export function ruleFor(limits: FileLimits | undefined, mime: string): FileRule | undefined {
  return limits?.find((r) => r.mimes === 'any' || r.mimes.includes(mime));
}

/**
 * Checked before a reply with files is queued (and before a first replier
 * claims): every file must be of a type the channel takes and within its
 * size. A file whose size the messenger did not say passes here; the
 * channel's deliverer stops at the limit while streaming.
 */
export function checkFiles(channels: ChannelTraits, channel: string, files: readonly AgentFile[]): Result<void> {
  const trait = channels[channel];
  const label = trait?.label ?? channel;
  for (const f of files) {
    const rule = ruleFor(trait?.fileLimits, f.mime);
    if (!rule) return fail('file_type_unsupported', { file: f.name, mime: f.mime, channel: label, accepted: acceptedTypes(trait?.fileLimits) });
    if (f.size !== undefined && f.fetchLimit !== undefined && f.size > f.fetchLimit) {
      return fail('file_too_large', { file: f.name, source: f.platform, size: megabytes(f.size, 'up'), limit: megabytes(f.fetchLimit) });
    }
    if (f.size !== undefined && f.size > rule.maxBytes) {
      return fail('file_too_large', { file: f.name, channel: label, kind: rule.kind, size: megabytes(f.size, 'up'), limit: megabytes(rule.maxBytes) });
    }
  }
  return ok(undefined);
}

/** "image/jpeg, image/png (5 MB); application/pdf (100 MB)", said when a type is refused. */
function acceptedTypes(limits: FileLimits | undefined): string {
  return (limits ?? []).map((r) => `${r.mimes === 'any' ? '*' : r.mimes.join(', ')} (${megabytes(r.maxBytes)} MB)`).join('; ');
}

/** Sizes in MB as people read them: 5, 0.5, 16.3; rounded up, a size just over a limit never reads as the limit. */
export function megabytes(bytes: number, round: 'up' | 'near' = 'near'): string {
  return String((round === 'up' ? Math.ceil : Math.round)((bytes / MB) * 10) / 10);
}
