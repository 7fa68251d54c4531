import { InputFile, type Api } from 'grammy';
import type { AgentFileFetcher } from '../../core/files/agent-file-stream.js';
import type { DeliveryOutcome } from '../../core/outbox/deliverer.js';
import type { OutboxPayload } from '../../core/outbox/items.js';
import { fileSteps, type FileStep } from '../file-steps.js';
import { fetchWithinLimit, FileStepRunner, overLimitOutcome, type StepResult } from '../send-file-steps.js';
import { TELEGRAM_CAPTION, TELEGRAM_CUSTOMER_FILE_LIMITS } from './file-limits.js';

export interface TelegramFileSendDeps {
  api: Api;
  fetchAgentFile: AgentFileFetcher;
  runner: FileStepRunner;
}

/**
 * An agent's reply with files to a Telegram customer: a photo by sendPhoto,
 * anything else by sendDocument, the text as the first caption. A file an
 * agent posted in a Telegram topic is sent again by its `file_id` (no
 * download); others are streamed from their messenger into the upload, and
 * stopped at the limit should their size not have been known. Bot API
 * errors are thrown to the caller, which classifies them.
 */
export function sendFilesToTelegramCustomer(d: TelegramFileSendDeps, itemId: string, chat: string, p: Extract<OutboxPayload, { op: 'customer.send' }>): Promise<DeliveryOutcome> {
  const steps = fileSteps(p.text, p.files ?? [], TELEGRAM_CUSTOMER_FILE_LIMITS, TELEGRAM_CAPTION);
  return d.runner.run(itemId, steps, async (step: FileStep): Promise<StepResult> => {
    if (step.kind === 'text') {
      await d.api.sendMessage(chat, step.text);
      return { records: [] };
    }
    const caption = step.caption ? { caption: step.caption } : {};
    let input: string | InputFile = step.file.ref;
    let over = false;
    if (step.file.platform !== 'telegram') {
      const got = await fetchWithinLimit(d.fetchAgentFile, step, 'Telegram');
      if ('stop' in got) return got;
      input = new InputFile(capped(got.body, step.maxBytes, () => { over = true; }), step.file.name);
    }
    try {
      if (step.as === 'image') await d.api.sendPhoto(chat, input, caption);
      else await d.api.sendDocument(chat, input, caption);
    } catch (err) {
      if (over) return overLimitOutcome(step, 'Telegram');
      throw err;
    }
    return { records: [] };
  });
}

/** A sender of replies with files for the bot's deliverer (its step progress in memory). */
export function telegramFileSender(api: Api, fetchAgentFile: AgentFileFetcher): (itemId: string, chat: string, p: Extract<OutboxPayload, { op: 'customer.send' }>) => Promise<DeliveryOutcome> {
  const d = { api, fetchAgentFile, runner: new FileStepRunner(async () => {}) };
  return (itemId, chat, p) => sendFilesToTelegramCustomer(d, itemId, chat, p);
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
