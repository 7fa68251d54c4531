import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeskHarness } from '../support/start-desk.js';
import { startTelegramDesk, TELEGRAM_USERS, type TelegramMode } from '../support/drivers/telegram.js';
import type { TelegramFake } from '../fakes/telegram/index.js';

const admin = TELEGRAM_USERS.seat;
const PEOPLE = [
  { id: admin, first_name: 'Alex', username: 'alex_agent' },
  { id: TELEGRAM_USERS.stranger, first_name: 'Sam', username: 'sam_agent' },
];

const csv = (...rows: string[]) => Buffer.from(['user,name,roles', ...rows].join('\n'));

/** What the bot wrote to `user` in their private chat, oldest first. */
const dms = (fake: TelegramFake, user: number) => fake.privateMessagesTo(user).map((m) => m.text ?? '');

/** Waits for a DM to `user` that contains `part`, after the first `skip` DMs. */
function dmContaining(fake: TelegramFake, user: number, part: string, skip: number): Promise<string> {
  return fake.waitFor((f) => dms(f, user).slice(skip).find((t) => t.includes(part)), 10_000);
}

const seatOf = (h: DeskHarness, userId: number) => h.app.desk.seats.ofActor({ platform: 'telegram', userId: String(userId) });

describe.each<{ mode: TelegramMode; where: 'general' | 'private' }>([
  { mode: 'webhook', where: 'general' },
  { mode: 'polling', where: 'private' },
])('Telegram /seat import with a CSV document ($mode, sent to $where)', ({ mode, where }) => {
  let h: DeskHarness;
  let fake: TelegramFake;
  // Distinct ids per mode: both describe blocks may run in one process.
  const base = mode === 'webhook' ? 5100 : 5200;

  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', { mode, fake: { users: PEOPLE } }));
    expect((await fake.userStartsBot(admin)).status).toBe(200);
    // The seat's welcome to the private chat goes first, so each test sees only its own DMs.
    await dmContaining(fake, admin, 'Private hints', 0);
  });
  afterAll(async () => { await h?.close(); });

  it('imports every row of the document captioned /seat import and tells the admin "Imported 2 seats." privately', async () => {
    const before = dms(fake, admin).length;
    const sent = await fake.userSendsDocument(admin, where, { fileName: 'seats.csv', bytes: csv(`${base + 1},Fay,agent`, `${base + 2},Gus,agent`) }, '/seat import');
    expect(sent.status).toBe(200);
    await dmContaining(fake, admin, 'Imported', before);
    expect(dms(fake, admin).slice(before)).toEqual(['Imported 2 seats.']);
    expect(await seatOf(h, base + 1)).toMatchObject({ name: 'Fay', roles: ['agent'], enabled: true });
    expect(await seatOf(h, base + 2)).toMatchObject({ name: 'Gus', roles: ['agent'], enabled: true });
    // The bytes came the Bot API's way: getFile for the file_path, then the file URL with the token.
    expect(fake.callsTo('getFile').map((c) => c.params.file_id)).toEqual([sent.fileId]);
    expect(fake.downloads.map((d) => [d.file_path, d.status])).toEqual([[expect.stringMatching(/^documents\/file_\d+\.csv$/), 200]]);
  });

  it('imports nothing from a CSV with one bad row, and names its line in the DM', async () => {
    const before = dms(fake, admin).length;
    const sent = await fake.userSendsDocument(admin, where, { fileName: 'seats.csv', bytes: csv(`${base + 3},Hal,agent`, `${base + 4},Ida,wizard`) }, '!seat import');
    expect(sent.status).toBe(200);
    const told = await dmContaining(fake, admin, 'Nothing was imported', before);
    expect(told).toMatch(/^Nothing was imported: 1 row has a problem\.\nline 3: /);
    expect(told).toContain('wizard');
    expect(await seatOf(h, base + 3)).toBeUndefined();
    expect(await seatOf(h, base + 4)).toBeUndefined();
  });

  it('refuses a document over the 20 MB download limit in words, without asking Telegram for it', async () => {
    const before = dms(fake, admin).length;
    const calls = fake.callsTo('getFile').length;
    const sent = await fake.userSendsDocument(admin, where, { fileName: 'huge.csv', size: 25 * 1024 * 1024 }, '/seat import');
    // A final answer, not a fault: Telegram must not deliver the update again.
    expect(sent.status).toBe(200);
    const told = await dmContaining(fake, admin, 'huge.csv', before);
    expect(told).toBe('huge.csv is 25.0 MB; Telegram lets bots download files of up to 20 MB. Send a smaller file (split it), or paste its rows after the command.');
    expect(fake.callsTo('getFile').length).toBe(calls);
    expect(fake.deliveries.at(-1)).toMatchObject({ update_id: sent.updateId, status: 200 });
  });
});

describe('Telegram /seat import documents the desk must not take', () => {
  let h: DeskHarness;
  let fake: TelegramFake;
  beforeAll(async () => {
    ({ h, fake } = await startTelegramDesk('embedded', { mode: 'webhook', fake: { users: PEOPLE } }));
    expect((await fake.userStartsBot(admin)).status).toBe(200);
    expect((await fake.userStartsBot(TELEGRAM_USERS.stranger)).status).toBe(200);
  });
  afterAll(async () => { await h?.close(); });

  it('refuses a person without a seat, in words, and imports nothing', async () => {
    const sent = await fake.userSendsDocument(TELEGRAM_USERS.stranger, 'general', { fileName: 'seats.csv', bytes: csv('5301,Jo,admin') }, '/seat import');
    expect(sent.status).toBe(200);
    await dmContaining(fake, TELEGRAM_USERS.stranger, 'not a seat', 0);
    expect(await seatOf(h, 5301)).toBeUndefined();
  });

  it('leaves a document captioned for another bot alone: no download, no answer', async () => {
    const calls = fake.calls.length;
    const before = dms(fake, admin).length;
    const sent = await fake.userSendsDocument(admin, 'general', { fileName: 'seats.csv', bytes: csv('5302,Kai,agent') }, '/seat@some_other_bot import');
    expect(sent.status).toBe(200);
    // The only thing the fake may see is nothing at all; give the outbox a moment to prove it.
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.calls.slice(calls).map((c) => c.method)).toEqual([]);
    expect(dms(fake, admin).length).toBe(before);
    expect(await seatOf(h, 5302)).toBeUndefined();
  });
});
