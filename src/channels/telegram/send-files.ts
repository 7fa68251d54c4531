import type { CarriedSend } from '../../bot/messenger-adapter.js';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { fileSteps, type FileStep } from '../file-steps.js';
import { fetchWithinLimit, FileStepRunner, overLimitOutcome, type StepResult } from '../send-file-steps.js';
import { TELEGRAM_CAPTION, TELEGRAM_CUSTOMER_FILE_LIMITS } from './file-limits.js';

type Reply = Extract<OutboxPayload, { op: 'customer.send' }>;

/** Sends a reply with files to a Telegram customer through the bot that carries the channel, one file per call. */
export type TelegramFileSender = (via: CarriedSend, itemId: string, chat: string, p: Reply) => Promise<DeliveryOutcome>;

/**
 * An agent's reply with files to a Telegram customer: a photo by sendPhoto,
 * anything else by sendDocument, the text as the first caption. A file an
 * agent posted in a Telegram topic is sent again by its `file_id` (no
 * download); others are streamed from their messenger into the upload, and
 * stopped at the limit should their size not have been known. Bot API
 * errors are thrown to the caller, which classifies them.
 */
export function telegramFileSender(fetchAgentFile: AgentFileFetcher): TelegramFileSender {
  const runner = new FileStepRunner(async () => {});
  return (via, itemId, chat, p) => {
    const steps = fileSteps(p.text, p.files ?? [], TELEGRAM_CUSTOMER_FILE_LIMITS, TELEGRAM_CAPTION);
    return runner.run(itemId, steps, async (step: FileStep): Promise<StepResult> => {
      if (step.kind === 'text') {
        // A long text goes in the Bot API's parts, one per attempt, before the files.
        return (await via.sendInParts(`${itemId}:text`, chat, step.text)) ? { records: [] } : { stop: { kind: 'progress' } };
      }
      const as = step.as === 'image' ? 'photo' : 'document';
      const caption = step.caption ? { caption: step.caption } : {};
      if (step.file.platform === 'telegram') {
        await via.sendFile(chat, { as, name: step.file.name, ref: step.file.ref, ...caption });
        return { records: [] };
      }
      const got = await fetchWithinLimit(fetchAgentFile, step, 'Telegram');
      if ('stop' in got) return got;
      let over = false;
      try {
        await via.sendFile(chat, { as, name: step.file.name, body: capped(got.body, step.maxBytes, () => { over = true; }), ...caption });
      } catch (err) {
        if (over) return overLimitOutcome(step, 'Telegram');
        throw err;
      }
      return { records: [] };
    });
  };
}

/** The file's chunks, ending the upload with an error once more than `maxBytes` came. */
async function* capped(body: ReadableStream<Uint8Array>, maxBytes: number, onOver: () => void): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of body) {
    seen += chunk.byteLength;
    if (seen > maxBytes) { onOver(); throw new Error(`the file is over ${maxBytes} bytes`); }
    yield chunk;
  }
}
