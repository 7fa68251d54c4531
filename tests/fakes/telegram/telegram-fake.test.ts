import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Bot, GrammyError, InputFile } from 'grammy';
import type { Update } from 'grammy/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramFake, type TelegramFake } from './index.js';

let fake: TelegramFake;

/** A real grammY bot pointed at the fake, as the desk builds it. */
function bot(token = fake.token): Bot {
  return new Bot(token, { client: { apiRoot: fake.url, timeoutSeconds: 10 } });
}

async function grammyError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(GrammyError);
    return err as GrammyError;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

describe('Telegram fake Bot API, driven by real grammY', () => {
  // Nobody polls in most of these tests: a delivery gives up waiting for confirmation after 300 ms.
  beforeEach(async () => { fake = await startTelegramFake({ confirmTimeoutMs: 300 }); });
  afterEach(async () => { await fake.close(); });
  /**
   * For a test whose poller confirms its deliveries: they wait as long as by default (15 s), as a
   * poll round trip on a stalled CI machine can take longer than 300 ms.
   */
  const polledFake = async () => { await fake.close(); fake = await startTelegramFake(); };

  it('answers getMe for the token and refuses a wrong token with 401 Unauthorized', async () => {
    const me = await bot().api.getMe();
    expect(me).toMatchObject({ id: fake.bot.id, is_bot: true, username: 'threaddesk_bot' });
    const err = await grammyError(bot('123:wrong-token-for-the-fake-0000000000').api.getMe());
    expect([err.error_code, err.description]).toEqual([401, 'Unauthorized']);
  });

  it('opens a forum topic, posts a header with an inline keyboard in it and edits it', async () => {
    const api = bot().api;
    const topic = await api.createForumTopic(fake.groupId, 'Ana · WhatsApp');
    expect(topic.name).toBe('Ana · WhatsApp');
    // The topic's service message counts as a message in the chat: 1 per second.
    await new Promise((r) => setTimeout(r, 1000));
    const header = await api.sendMessage(fake.groupId, 'Waiting for an agent', {
      message_thread_id: topic.message_thread_id,
      reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'td:claim:c1' }]] },
    });
    expect(header).toMatchObject({ message_thread_id: topic.message_thread_id, is_topic_message: true, chat: { id: fake.groupId, is_forum: true } });
    await new Promise((r) => setTimeout(r, 1000));
    await api.editMessageText(fake.groupId, header.message_id, 'Claimed by alex', { reply_markup: { inline_keyboard: [[{ text: 'Release', callback_data: 'td:release:c1' }]] } });
    expect(fake.topicMessages(topic.message_thread_id).map((m) => m.text)).toEqual(['Claimed by alex']);
    const same = await grammyError(api.editMessageText(fake.groupId, header.message_id, 'Claimed by alex', { reply_markup: { inline_keyboard: [[{ text: 'Release', callback_data: 'td:release:c1' }]] } }));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
  });

  it('refuses callback_data over 64 bytes and empty or over-long texts like Telegram', async () => {
    const api = bot().api;
    const long = await grammyError(api.sendMessage(fake.groupId, 'x', { reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'x'.repeat(65) }]] } }));
    expect(long.description).toBe('Bad Request: BUTTON_DATA_INVALID');
    expect((await grammyError(api.sendMessage(fake.groupId, ''))).description).toBe('Bad Request: message text is empty');
    expect((await grammyError(api.sendMessage(fake.groupId, 'y'.repeat(4097)))).description).toBe('Bad Request: message is too long');
  });

  it('says "message thread not found" once a topic was deleted, and the header is gone with it', async () => {
    const api = bot().api;
    const topic = await api.createForumTopic(fake.groupId, 'Bo · API');
    await new Promise((r) => setTimeout(r, 1000));
    const header = await api.sendMessage(fake.groupId, 'header', { message_thread_id: topic.message_thread_id });
    fake.deleteTopic(topic.message_thread_id);
    await new Promise((r) => setTimeout(r, 1000));
    const err = await grammyError(api.sendMessage(fake.groupId, 'still there?', { message_thread_id: topic.message_thread_id }));
    expect([err.error_code, err.description]).toEqual([400, 'Bad Request: message thread not found']);
    expect((await grammyError(api.editMessageText(fake.groupId, header.message_id, 'edit'))).description).toBe('Bad Request: message to edit not found');
  });

  it('answers 429 with parameters.retry_after beyond 1 message per second in a chat and 20 per minute in a group', async () => {
    const api = bot().api;
    await api.sendMessage(fake.groupId, 'first');
    const perChat = await grammyError(api.sendMessage(fake.groupId, 'second, too soon'));
    expect([perChat.error_code, perChat.parameters.retry_after]).toEqual([429, 1]);
    expect(perChat.description).toBe('Too Many Requests: retry after 1');

    await fake.close();
    fake = await startTelegramFake({ rates: { perChatPerSecond: 100 }, confirmTimeoutMs: 300 });
    const relaxed = bot().api;
    for (let i = 0; i < 20; i++) await relaxed.sendMessage(fake.groupId, `message ${i}`);
    const perGroup = await grammyError(relaxed.sendMessage(fake.groupId, 'the 21st within a minute'));
    expect(perGroup.error_code).toBe(429);
    expect(perGroup.parameters.retry_after).toBeGreaterThanOrEqual(59);
    expect(fake.rateLimitedCount).toBe(1);
  });

  it("refuses a private chat the user never started (403), then delivers once they pressed Start", async () => {
    const api = bot().api;
    const err = await grammyError(api.sendMessage(1001, 'a private hint'));
    expect([err.error_code, err.description]).toEqual([403, "Forbidden: bot can't initiate conversation with a user"]);
    expect((await fake.userStartsBot(1001)).status).toBe(0);
    await api.sendMessage(1001, 'a private hint');
    expect(fake.privateMessagesTo(1001).map((m) => m.text)).toEqual(['a private hint']);
  });

  it('lets the bot edit and delete its own private messages, says so when one is gone, and refuses others\' messages in the group', async () => {
    const api = bot().api;
    await fake.userStartsBot(2001);
    const sent = await api.sendMessage(2001, 'It ships Monday');
    await api.editMessageText(2001, sent.message_id, 'It ships Tuesday');
    expect(fake.privateMessagesTo(2001).map((m) => [m.text, Boolean(m.edit_date)])).toEqual([['It ships Tuesday', true]]);
    expect((await grammyError(api.editMessageText(2001, sent.message_id, 'It ships Tuesday'))).description).toMatch(/^Bad Request: message is not modified/);
    expect(await api.deleteMessage(2001, sent.message_id)).toBe(true);
    expect(fake.privateMessagesTo(2001)[0]!.deleted).toBe(true);
    expect((await grammyError(api.deleteMessage(2001, sent.message_id))).description).toBe('Bad Request: message to delete not found');
    const topic = await api.createForumTopic(fake.groupId, 'Topic');
    const agent = await fake.userWritesInTopic(1001, topic.message_thread_id, 'an agent line');
    expect((await grammyError(api.deleteMessage(fake.groupId, agent.messageId))).description).toBe("Bad Request: message can't be deleted");
  });

  it('hands the bot a person\'s edit of their topic message as edited_message', async () => {
    const api = bot().api;
    const topic = await api.createForumTopic(fake.groupId, 'Topic');
    const written = await fake.userWritesInTopic(1001, topic.message_thread_id, 'Yes, in 5 days');
    const edited = await fake.userEditsMessage(1001, fake.groupId, written.messageId, 'Yes, in 3 to 5 days');
    const update = fake.deliveries.find((d) => d.update_id === edited.updateId)!.update as { edited_message: { text: string; edit_date: number; message_thread_id: number; is_topic_message: boolean } };
    expect(update.edited_message).toMatchObject({ text: 'Yes, in 3 to 5 days', message_thread_id: topic.message_thread_id, is_topic_message: true });
    expect(update.edited_message.edit_date).toBeGreaterThan(0);
  });

  it('holds getUpdates open, hands out a user message and takes the next offset as confirmation', async () => {
    await polledFake();
    const api = bot().api;
    await api.createForumTopic(fake.groupId, 'Cy · Telegram');
    const thread = fake.topics[0]!.message_thread_id;
    const started = Date.now();
    const held = api.getUpdates({ timeout: 5 });
    await new Promise((r) => setTimeout(r, 200));
    const delivery = fake.userWritesInTopic(1001, thread, '/claim');
    const updates = await held;
    expect(Date.now() - started).toBeLessThan(4000);
    expect(updates).toHaveLength(1);
    const message = updates[0]!.message!;
    expect(message).toMatchObject({ message_thread_id: thread, is_topic_message: true, text: '/claim', from: { id: 1001, is_bot: false } });
    expect(message.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    await api.getUpdates({ offset: updates[0]!.update_id + 1, timeout: 0 });
    expect((await delivery).status).toBe(200);
  });

  it('lets real grammY long polling receive a private message and a button press', async () => {
    await polledFake();
    const b = bot();
    const seen: string[] = [];
    b.on('message:text', (ctx) => { seen.push(`message ${ctx.message.text}`); });
    b.on('callback_query:data', async (ctx) => { seen.push(`button ${ctx.callbackQuery.data}`); await ctx.answerCallbackQuery({ text: 'Claimed' }); });
    const polling = b.start({ timeout: 1, drop_pending_updates: false });
    await fake.waitFor((f) => f.callsTo('getUpdates').length > 0, 5000);
    await fake.userWritesPrivately(2001, 'Hello, is anyone there?');
    const header = await b.api.sendMessage(fake.groupId, 'header', { reply_markup: { inline_keyboard: [[{ text: 'Claim', callback_data: 'td:claim:c9' }]] } });
    const press = await fake.userPressesButton(1001, header.message_id, 'Claim');
    expect(press.status).toBe(200);
    await b.stop();
    await polling;
    expect(seen).toEqual(['message Hello, is anyone there?', 'button td:claim:c9']);
    expect(fake.callbackQueries[0]!.answer).toEqual({ text: 'Claimed' });
    expect(fake.callsTo('deleteWebhook')).toHaveLength(1);
  });

  it('ends a held getUpdates with 409 when a second poller asks, and refuses getUpdates while a webhook is set', async () => {
    const api = bot().api;
    const first = grammyError(api.getUpdates({ timeout: 5 }));
    await new Promise((r) => setTimeout(r, 100));
    const second = api.getUpdates({ timeout: 0 });
    expect((await first).error_code).toBe(409);
    await second;
    expect(fake.conflictCount).toBe(1);
    await api.setWebhook('http://127.0.0.1:9/telegram/webhook', { secret_token: 'abc_DEF-123' });
    expect((await grammyError(api.getUpdates({ timeout: 0 }))).description).toMatch(/webhook is active/);
  });

  it('posts updates to the webhook with the secret token header and reports the status', async () => {
    const received: { secret: string | undefined; update: Update }[] = [];
    let status = 200;
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined, update: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await bot().api.setWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`, { secret_token: 'hook-secret_1' });
      expect((await bot().api.getWebhookInfo()).url).toMatch(/\/telegram\/webhook$/);
      const ok = await fake.userWritesPrivately(2001, 'via webhook');
      status = 500;
      const failed = await fake.redeliver(ok.updateId);
      expect([ok.status, failed.status]).toEqual([200, 500]);
      expect(received.map((r) => [r.secret, r.update.update_id, r.update.message?.text])).toEqual([
        ['hook-secret_1', ok.updateId, 'via webhook'],
        ['hook-secret_1', ok.updateId, 'via webhook'],
      ]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('serves a document a person sent through getFile and GET /file/bot<token>/<file_path>, and 404s a wrong token or path', async () => {
    const csv = Buffer.from('user,name,roles\n1005,Fay,agent\n');
    const sent = await fake.userSendsDocument(1001, 'private', { fileName: 'seats.csv', bytes: csv }, '/seat import');
    const api = bot().api;
    const file = await api.getFile(sent.fileId);
    expect(file).toEqual({ file_id: sent.fileId, file_unique_id: expect.any(String), file_size: csv.length, file_path: expect.stringMatching(/^documents\/file_\d+\.csv$/) });
    const res = await fetch(`${fake.url}/file/bot${fake.token}/${file.file_path}`);
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'text/csv']);
    expect(Buffer.from(await res.arrayBuffer()).equals(csv)).toBe(true);

    const wrongToken = await fetch(`${fake.url}/file/bot123:wrong-token-for-the-fake-0000000000/${file.file_path}`);
    const wrongPath = await fetch(`${fake.url}/file/bot${fake.token}/documents/file_999.csv`);
    expect([wrongToken.status, wrongPath.status]).toEqual([404, 404]);
    expect(await wrongPath.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found' });
    expect(fake.downloads.map((d) => d.status)).toEqual([200, 404, 404]);
  });

  it('answers getFile with "invalid file_id" for an unknown id and "file is too big" above 20 MB', async () => {
    const api = bot().api;
    const unknown = await grammyError(api.getFile('BQACAgIAAxkBAAI-no-such-file'));
    expect([unknown.error_code, unknown.description]).toEqual([400, 'Bad Request: invalid file_id']);
    const big = await fake.userSendsDocument(1001, 'private', { fileName: 'huge.csv', size: 25 * 1024 * 1024 }, '/seat import');
    const tooBig = await grammyError(api.getFile(big.fileId));
    expect([tooBig.error_code, tooBig.description]).toEqual([400, 'Bad Request: file is too big']);
    const atLimit = await fake.userSendsDocument(1001, 'private', { fileName: 'max.csv', size: 20 * 1024 * 1024 });
    expect((await api.getFile(atLimit.fileId)).file_size).toBe(20 * 1024 * 1024);
  });

  it('hands a captioned document to long polling with caption_entities, in a topic, in General and privately', async () => {
    await polledFake();
    const api = bot().api;
    const topic = await api.createForumTopic(fake.groupId, 'Ed · Telegram');
    const held = api.getUpdates({ timeout: 5 });
    await new Promise((r) => setTimeout(r, 100));
    const inTopic = fake.userSendsDocument(1001, { threadId: topic.message_thread_id }, { fileName: 'seats.csv', bytes: Buffer.from('user\n1') }, '/seat@threaddesk_bot import');
    const [update] = await held;
    expect(update!.message).toMatchObject({
      message_thread_id: topic.message_thread_id, is_topic_message: true, from: { id: 1001 },
      caption: '/seat@threaddesk_bot import', caption_entities: [{ type: 'bot_command', offset: 0, length: 20 }],
      document: { file_name: 'seats.csv', mime_type: 'text/csv', file_size: 6 },
    });
    // Messages never carry file_path or the bytes: only getFile says where the file is.
    expect(Object.keys(update!.message!.document!).sort()).toEqual(['file_id', 'file_name', 'file_size', 'file_unique_id', 'mime_type']);
    expect(update!.message!.text).toBeUndefined();
    await api.getUpdates({ offset: update!.update_id + 1, timeout: 0 });
    expect((await inTopic).status).toBe(200);

    const general = fake.userSendsDocument(1002, 'general', { fileName: 'notes.txt' }, '!seat import');
    const privately = fake.userSendsDocument(1001, 'private', { fileName: 'seats.csv' }, 'no command here');
    const next = await api.getUpdates({ offset: update!.update_id + 1, timeout: 2 });
    expect(next.map((u) => [u.message!.chat.type, u.message!.caption, u.message!.caption_entities, u.message!.is_topic_message])).toEqual([
      ['supergroup', '!seat import', undefined, undefined],
      ['private', 'no command here', undefined, undefined],
    ]);
    await api.getUpdates({ offset: next.at(-1)!.update_id + 1, timeout: 0 });
    expect([(await general).status, (await privately).status]).toEqual([200, 200]);
  });

  it('posts a captioned document to the webhook like any other update', async () => {
    const received: Update[] = [];
    const server: Server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => { received.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Update); res.writeHead(200).end(); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      await bot().api.setWebhook(`http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram/webhook`);
      const sent = await fake.userSendsDocument(1001, 'private', { fileName: 'seats.csv', bytes: Buffer.from('user\n1') }, '/seat import');
      expect(sent.status).toBe(200);
      expect(received[0]!.message).toMatchObject({ caption: '/seat import', caption_entities: [{ type: 'bot_command', offset: 0, length: 5 }], document: { file_id: sent.fileId } });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('records answerCallbackQuery, setMyCommands, setMessageReaction and a multipart sendDocument', async () => {
    const api = bot().api;
    await api.setMyCommands([{ command: 'claim', description: 'Take this conversation' }]);
    expect(fake.commands.at(-1)!.commands).toEqual([{ command: 'claim', description: 'Take this conversation' }]);
    expect((await grammyError(api.setMyCommands([{ command: 'Bad-Name', description: 'x' }]))).description).toBe('Bad Request: BOT_COMMAND_INVALID');

    const topic = await api.createForumTopic(fake.groupId, 'Di · WhatsApp');
    const agent = await fake.userWritesInTopic(1001, topic.message_thread_id, 'On it');
    await api.setMessageReaction(fake.groupId, agent.messageId, [{ type: 'emoji', emoji: '👌' }]);
    expect(fake.message(fake.groupId, agent.messageId)!.reactions).toEqual([{ emoji: '👌', user: fake.bot.id }]);
    expect((await grammyError(api.setMessageReaction(fake.groupId, 999_999, [{ type: 'emoji', emoji: '👌' }]))).description).toBe('Bad Request: message to react not found');

    await new Promise((r) => setTimeout(r, 1000));
    const sent = await api.sendDocument(fake.groupId, new InputFile(Buffer.from('invoice bytes'), 'invoice.pdf'), { message_thread_id: topic.message_thread_id, caption: 'the invoice' });
    expect(sent.document).toMatchObject({ file_name: 'invoice.pdf', file_size: 13 });
    expect(fake.callsTo('sendDocument')[0]!.files).toEqual([expect.objectContaining({ filename: 'invoice.pdf', size: 13 })]);
    expect(fake.topicMessages(topic.message_thread_id).at(-1)).toMatchObject({ caption: 'the invoice' });

    await new Promise((r) => setTimeout(r, 1000));
    const header = await api.sendMessage(fake.groupId, 'h', { reply_markup: { inline_keyboard: [[{ text: 'Close', callback_data: 'td:close:c1' }]] } });
    await fake.userPressesButton(1002, header.message_id, 'Close');
    const query = fake.callbackQueries.at(-1)!;
    await api.answerCallbackQuery(query.id, { text: 'Closed', show_alert: false });
    expect(query.answer).toEqual({ text: 'Closed' });
    expect((await grammyError(api.answerCallbackQuery(query.id))).description).toMatch(/query is too old/);
  });
});
