import type { AgentFile } from '../core/files/agent-file.js';
import { ruleFor, type FileKind, type FileLimits } from '../core/files/file-limits.js';

/** One message of a reply with files: a file (with the reply's text as its caption, once), or the text on its own. */
export type FileStep =
  | { kind: 'file'; file: AgentFile; as: FileKind; maxBytes: number; caption?: string }
  | { kind: 'text'; text: string };

/**
 * A reply with files as the messages a channel sends, one per step: each file
 * as its kind, the text as the caption of the first file whose kind takes one
 * when it fits `captionLimit`, else as a text of its own before the files
 * (read first, as the agent wrote it). A file no rule takes was refused before
 * queueing; should the limits have changed since, it goes as a document.
 */
export function fileSteps(text: string, files: readonly AgentFile[], limits: FileLimits, caption: { limit: number; kinds: readonly FileKind[] }): FileStep[] {
  const steps: FileStep[] = files.map((file) => {
    const rule = ruleFor(limits, file.mime);
    return { kind: 'file', file, as: rule?.kind ?? 'document', maxBytes: rule?.maxBytes ?? Number.MAX_SAFE_INTEGER };
  });
  const words = text.trim();
  if (!words) return steps;
  // UTF-16 units: never fewer than the characters the platforms count, so a caption that passes fits.
  const host = words.length <= caption.limit ? steps.find((s) => s.kind === 'file' && caption.kinds.includes(s.as)) : undefined;
  if (host && host.kind === 'file') {
    host.caption = words;
    return steps;
  }
  return [{ kind: 'text', text: words }, ...steps];
}
