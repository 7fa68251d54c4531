import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { AgentFile } from '../../core/files/agent-file.js';
import { MB, type FileLimits } from '../../core/files/file-limits.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import { fetchForStep } from '../send-file-steps.js';
import { INLINE_IMAGE_TYPES, MAX_FILE_BYTES, type FileInfo, type WebchatFiles } from './files.js';

/**
 * What a visitor's widget takes from an agent: what it takes from a visitor
 * (SPEC §12, 10 MB), images shown inline, any other file as a download link.
 */
export const WEBCHAT_FILE_LIMITS: FileLimits = [
  { kind: 'image', mimes: [...INLINE_IMAGE_TYPES], maxBytes: MAX_FILE_BYTES },
  { kind: 'document', mimes: 'any', maxBytes: 10 * MB },
];

/**
 * An agent's files, kept for the visitor as the channel keeps visitors'
 * uploads (the store, by a random id that is the capability to read them),
 * so the widget shows them from `/chat/file` on any replica. Each is read
 * from its messenger once, up to the limit.
 */
export async function keepAgentFiles(files: WebchatFiles, fetchAgentFile: AgentFileFetcher, visitorId: string, agentFiles: readonly AgentFile[]): Promise<{ kept: FileInfo[] } | { stop: DeliveryOutcome }> {
  const kept: FileInfo[] = [];
  for (const file of agentFiles) {
    const got = await fetchForStep(fetchAgentFile, file);
    if ('stop' in got) return got;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of got.body) {
      size += chunk.byteLength;
      if (size > MAX_FILE_BYTES) {
        await got.body.cancel().catch(() => undefined);
        return { stop: { kind: 'failed', consumed: 1, reason: `${file.name} is over 10 MB`, failure: { code: 'file_too_large', detail: { file: file.name, channel: 'Web chat', kind: 'document', size: '> 10', limit: 10 } } } };
      }
      chunks.push(chunk);
    }
    kept.push(await files.put(visitorId, Buffer.concat(chunks), file.mime, file.name));
  }
  return { kept };
}
