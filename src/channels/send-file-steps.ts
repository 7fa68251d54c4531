import type { AgentFileFetcher, FetchedAgentFile } from '../core/files/agent-file-stream.js';
import type { AgentFile } from '../core/files/agent-file.js';
import type { DeliveryOutcome } from '../core/outbox/deliverer.js';
import type { WriteOp } from '../core/ports.js';
import type { FileStep } from './file-steps.js';

/** What one step did: its records (a sent message's id), or the outcome that stops the reply. */
export type StepResult = { records: WriteOp[]; detail?: Record<string, string> } | { stop: DeliveryOutcome };

/**
 * A reply with files, one message per attempt (each attempt one send, as the
 * limiter counts): the step reached is kept per item, so a retry goes on
 * where it stopped. Like a long text's parts, a crash in between sends the
 * earlier steps again.
 */
export class FileStepRunner {
  private readonly reached = new Map<string, number>();

  constructor(private readonly writeRecords: (ops: WriteOp[]) => Promise<void>) {}

  async run(itemId: string, steps: readonly FileStep[], send: (step: FileStep, index: number) => Promise<StepResult>): Promise<DeliveryOutcome> {
    const index = this.reached.get(itemId) ?? 0;
    const r = await send(steps[index]!, index);
    if ('stop' in r) {
      if (r.stop.kind === 'failed') this.reached.delete(itemId);
      return r.stop;
    }
    if (index + 1 < steps.length) {
      await this.writeRecords(r.records);
      this.reached.set(itemId, index + 1);
      return { kind: 'progress' };
    }
    this.reached.delete(itemId);
    return { kind: 'delivered', consumed: 1, records: r.records, ...(r.detail ? { detail: r.detail } : {}) };
  }
}

/** Fetches an agent's file for a step; a failure is the outcome to return (retried, or said in the thread). */
export async function fetchForStep(fetchAgentFile: AgentFileFetcher, file: AgentFile): Promise<Extract<FetchedAgentFile, { ok: true }> | { stop: DeliveryOutcome }> {
  const got = await fetchAgentFile(file);
  if (got.ok) return got;
  const reason = `${file.name}: ${got.reason}`;
  if (got.retry) return { stop: { kind: 'retry', reason } };
  return { stop: { kind: 'failed', consumed: 1, reason, failure: { code: 'file_fetch_failed', detail: { file: file.name, reason: got.reason } } } };
}

/** A file that turned out over the channel's limit while it streamed (its size was not known before). */
export function overLimitOutcome(step: Extract<FileStep, { kind: 'file' }>, channel: string): { stop: DeliveryOutcome } {
  const mb = String(Math.round((step.maxBytes / 1024 / 1024) * 10) / 10);
  return { stop: { kind: 'failed', consumed: 1, reason: `${step.file.name} is over ${mb} MB`, failure: { code: 'file_too_large', detail: { file: step.file.name, channel, kind: step.as, size: `> ${mb}`, limit: mb } } } };
}

/** A step's file, fetched; refused at once when its download says it is over the step's limit. */
export async function fetchWithinLimit(fetchAgentFile: AgentFileFetcher, step: Extract<FileStep, { kind: 'file' }>, channel: string): Promise<Extract<FetchedAgentFile, { ok: true }> | { stop: DeliveryOutcome }> {
  const got = await fetchForStep(fetchAgentFile, step.file);
  if ('stop' in got || got.size === undefined || got.size <= step.maxBytes) return got;
  await got.body.cancel().catch(() => undefined);
  return overLimitOutcome(step, channel);
}
