import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { telegramFileSender } from '../../src/channels/telegram/send-files.js';
import { sendCustomerFile } from '../../src/bot/telegram/send-customer-file.js';
import { customerRefusal } from '../../src/bot/telegram/classify-error.js';
import type { CarriedSend } from '../../src/bot/messenger-adapter.js';
import type { AgentFileFetcher } from '../../src/core/files/agent-file-stream.js';
import type { AgentFile } from '../../src/core/files/agent-file.js';
import { startTelegramFake, type TelegramFake } from '../fakes/telegram/index.js';

const CUSTOMER = 2001;
const stream = (bytes: Buffer) => new ReadableStream<Uint8Array>({ start(c) { c.enqueue(bytes.subarray(0, 1000)); c.enqueue(bytes.subarray(1000)); c.close(); } });

/** Files from a Slack or Discord agent to a Telegram customer: streamed into sendPhoto / sendDocument by grammY, against the Bot API fake. */
describe('files to a Telegram customer', () => {
  let fake: TelegramFake;
  let via: CarriedSend;
  beforeAll(async () => {
    fake = await startTelegramFake({ rates: false });
    const api = new Api(fake.token, { apiRoot: fake.url });
    // What the bot hands the channel: its text sender (one part here), its refusals and its file primitive.
    via = { sendInParts: async (_id, chat, text) => { await api.sendMessage(chat, text); return true; }, refusal: customerRefusal, sendFile: (chat, f) => sendCustomerFile(api, chat, f) };
    await fake.userStartsBot(CUSTOMER);
  });
  afterAll(async () => { await fake.close(); });

  const reply = (text: string, files: AgentFile[]) => ({ op: 'customer.send' as const, convId: 'c1', text, author: 's1', files });

  it('uploads a photo with the text as its caption, then a document, one per attempt', async () => {
    const photo = Buffer.alloc(3000, 1);
    const pdf = Buffer.alloc(2500, 2);
    const bytes: Record<string, Buffer> = { 'https://files.slack.com/p.png': photo, 'https://files.slack.com/t.pdf': pdf };
    const fetchAgentFile: AgentFileFetcher = async (f) => ({ ok: true, body: stream(bytes[f.ref]!), size: bytes[f.ref]!.length });
    const send = telegramFileSender(fetchAgentFile);
    const p = reply('Your parcel', [
      { name: 'p.png', mime: 'image/png', platform: 'slack', ref: 'https://files.slack.com/p.png' },
      { name: 'terms.pdf', mime: 'application/pdf', platform: 'slack', ref: 'https://files.slack.com/t.pdf' },
    ]);
    expect(await send(via, 'item-1', String(CUSTOMER), p)).toEqual({ kind: 'progress' });
    expect(await send(via, 'item-1', String(CUSTOMER), p)).toEqual({ kind: 'delivered', consumed: 1, records: [] });
    const got = fake.privateMessagesTo(CUSTOMER);
    expect(got.map((m) => [m.photo ? 'photo' : m.document ? 'document' : 'text', m.caption])).toEqual([['photo', 'Your parcel'], ['document', undefined]]);
    expect(got[1]!.document!.file_name).toBe('terms.pdf');
  });

  it('fails the reply with the reason when the messenger will not give the file, and retries when it may later', async () => {
    const file: AgentFile = { name: 'gone.png', mime: 'image/png', platform: 'discord', ref: 'https://cdn.discordapp.com/x' };
    const never = telegramFileSender(async () => ({ ok: false, retry: false, reason: 'Discord answered 404' }));
    expect(await never(via, 'item-2', String(CUSTOMER), reply('', [file]))).toMatchObject({ kind: 'failed', failure: { code: 'file_fetch_failed', detail: { file: 'gone.png', reason: 'Discord answered 404' } } });
    const later = telegramFileSender(async () => ({ ok: false, retry: true, reason: 'Discord answered 503' }));
    expect(await later(via, 'item-3', String(CUSTOMER), reply('', [file]))).toEqual({ kind: 'retry', reason: 'gone.png: Discord answered 503' });
  });
});
