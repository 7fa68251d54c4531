import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actions } from '../support/actions.js';
import type { DeskHarness, StoreKind } from '../support/start-desk.js';
import { botLines, startTelegramDesk, TELEGRAM_USERS } from '../support/drivers/telegram.js';
import { DISCORD_USERS, startDiscordDesk } from '../support/drivers/discord.js';
import type { TelegramFake } from '../fakes/telegram/index.js';
import type { DiscordFake } from '../fakes/discord/index.js';

/**
 * An image or a document an agent posts in a Telegram topic or a Discord
 * thread reaches the WhatsApp customer (issue 16, point 1): fetched from the
 * messenger (Telegram getFile and its file URL; Discord's signed CDN link),
 * streamed into Graph's media upload, sent as an image or document message
 * with the text as caption. A file over WhatsApp's limit is refused in the
 * thread with the limit named, and nothing goes out.
 */
const JPEG = Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), randomBytes(12_000)]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(9_000)]);

describe.each(['embedded', 'redis'] as StoreKind[])('an agent\'s file from a Telegram topic on the %s store', (store) => {
  let h: DeskHarness;
  let fake: TelegramFake;
  let topic: number;
  const customer = store === 'embedded' ? '4917650000011' : '4917660000011';

  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk(store, { mode: 'polling', fake: { users: [{ id: TELEGRAM_USERS.seat, first_name: 'Alex', username: 'alex_agent' }] } }));
    await actions(h).customerWrites(customer, 'Is my parcel damaged?', { name: 'Mira' });
    const t = await fake.waitFor((f) => f.topics.find((x) => !x.deleted && botLines(f, x.message_thread_id).includes('Is my parcel damaged?')), 20_000);
    topic = t.message_thread_id;
  }, 40_000);
  afterAll(async () => { await h?.close(); });

  it('sends a photo as an uploaded image with its caption', async () => {
    const photo = await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'This is how it left our warehouse', { media: { kind: 'photo', bytes: JPEG } });
    expect(photo.status).toBe(200);
    const msg = await h.graph.waitFor((g) => g.sent.find((m) => m.type === 'image' && m.to === customer), 15_000);
    const upload = h.graph.uploads.find((u) => u.id === (msg.body.image as { id: string }).id)!;
    expect(upload.bytes.equals(JPEG)).toBe(true);
    expect(upload.mimeType).toBe('image/jpeg');
    expect(msg.body.image).toEqual({ id: upload.id, caption: 'This is how it left our warehouse' });
    expect(fake.downloads.at(-1)!.status).toBe(200);
  });

  it('sends a document with its name, and refuses a file of a type WhatsApp does not take', async () => {
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '', { media: { kind: 'document', fileName: 'claim-form.pdf', mimeType: 'application/pdf', bytes: PDF } });
    const doc = await h.graph.waitFor((g) => g.sent.find((m) => m.type === 'document' && m.to === customer), 15_000);
    expect(doc.body.document).toMatchObject({ filename: 'claim-form.pdf' });
    const sentBefore = h.graph.sent.length;
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, 'the raw footage', { media: { kind: 'document', fileName: 'footage.mkv', mimeType: 'video/x-matroska', size: 4096 } });
    await expect.poll(() => botLines(fake, topic).join('\n'), { timeout: 15_000 }).toContain('WhatsApp does not take video/x-matroska files like footage.mkv');
    expect(h.graph.sent.length).toBe(sentBefore);
  });

  it('refuses a file over the 20 MB Telegram lets bots fetch, before anything is queued', async () => {
    const sentBefore = h.graph.sent.length;
    await fake.userWritesInTopic(TELEGRAM_USERS.seat, topic, '', { media: { kind: 'document', fileName: 'catalogue.pdf', mimeType: 'application/pdf', size: 25 * 1024 * 1024 } });
    await expect.poll(() => botLines(fake, topic).join('\n'), { timeout: 15_000 }).toContain('catalogue.pdf is 25 MB, and Telegram lets bots fetch files of up to 20 MB');
    expect(h.graph.sent.length).toBe(sentBefore);
  });
});

describe.each(['embedded', 'redis'] as StoreKind[])('an agent\'s attachment in a Discord thread on the %s store', (store) => {
  let h: DeskHarness;
  let fake: DiscordFake;
  let thread: string;
  const customer = store === 'embedded' ? '4917650000021' : '4917660000021';
  const fromBot = (id: string) => fake.messagesIn(id).filter((m) => m.author.id === fake.config.botUserId).map((m) => m.content).join('\n');

  beforeAll(async () => {
    ({ h, fake } = await startDiscordDesk(store));
    await actions(h).customerWrites(customer, 'Which size should I order?', { name: 'Jo' });
    const channel = fake.config.channels[0]!;
    thread = (await fake.waitFor((f) => f.threadsIn(channel).find((t) => fromBot(t.id).includes('Which size should I order?')), 15_000)).id;
  }, 40_000);
  afterAll(async () => { await h?.close(); });

  it('sends an attachment as an uploaded image with its caption, fetched from the signed CDN link', async () => {
    const png = fake.addAttachment('size-chart.png', JPEG, 'image/png');
    fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: 'Here is our size chart', attachments: [png] });
    const msg = await h.graph.waitFor((g) => g.sent.find((m) => m.type === 'image' && m.to === customer), 15_000);
    const upload = h.graph.uploads.find((u) => u.id === (msg.body.image as { id: string }).id)!;
    expect(upload.bytes.equals(JPEG)).toBe(true);
    expect(upload.fileName).toBe('size-chart.png');
    expect(msg.body.image).toEqual({ id: upload.id, caption: 'Here is our size chart' });
  });

  it('refuses an image over WhatsApp\'s 5 MB in the thread, naming the limit, and sends nothing', async () => {
    const sentBefore = h.graph.sent.length;
    const uploadsBefore = h.graph.uploads.length;
    const big = { ...fake.addAttachment('poster.png', JPEG, 'image/png'), size: 6 * 1024 * 1024 };
    fake.userWrites({ channelId: thread, userId: DISCORD_USERS.seat, content: '', attachments: [big] });
    await expect.poll(() => fromBot(thread), { timeout: 15_000 }).toContain('poster.png is 6 MB, over the 5 MB WhatsApp takes for an image');
    expect(h.graph.sent.length).toBe(sentBefore);
    expect(h.graph.uploads.length).toBe(uploadsBefore);
  });
});
