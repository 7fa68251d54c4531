import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackAgentFiles } from '../../src/bot/slack/fetch-agent-file.js';
import { discordAgentFiles } from '../../src/bot/discord/fetch-agent-file.js';
import { startSlackFake, type SlackFake } from '../fakes/slack/index.js';
import { startDiscordFake, type DiscordFake } from '../fakes/discord/index.js';
import type { AgentFile } from '../../src/core/files/agent-file.js';

const read = async (s: ReadableStream<Uint8Array>) => { const out: Uint8Array[] = []; for await (const c of s) out.push(c); return Buffer.concat(out); };

/** The messengers' file ports against their fakes: the file as a stream, or why not and whether a retry may help. */
describe('agent file fetchers', () => {
  let slack: SlackFake;
  let discord: DiscordFake;
  beforeAll(async () => { [slack, discord] = await Promise.all([startSlackFake(), startDiscordFake()]); });
  afterAll(async () => { await Promise.all([slack.close(), discord.close()]); });

  const slackFile = (ref: string): AgentFile => ({ name: 'a.png', mime: 'image/png', platform: 'slack', ref });

  it('Slack: streams a shared file with the bot token, and says to add files:read when Slack sends the sign-in page', async () => {
    const bytes = Buffer.alloc(70_000, 3);
    const f = slack.addUserFile({ filename: 'a.png', bytes, user: 'U0AGENT', mimetype: 'image/png' });
    const got = await slackAgentFiles('xoxb-test', slack.url)(slackFile(String(f.url_private_download)));
    expect(got.ok && got.size).toBe(bytes.length);
    expect(got.ok && (await read(got.body)).equals(bytes)).toBe(true);
    const refused = await slackAgentFiles('xoxb-other', slack.url)(slackFile(String(f.url_private_download)));
    expect(refused).toEqual({ ok: false, retry: false, reason: 'Slack answered with its sign-in page: add the files:read scope to the Slack app and reinstall it' });
  });

  it('Slack: follows a redirect to its file CDN with the token, and takes an HTML answer for the sign-in page', async () => {
    const bytes = Buffer.alloc(4000, 5);
    const server = createServer((req, res) => {
      const authed = req.headers.authorization === 'Bearer xoxb-test';
      if (req.url === '/files-pri/T1-F1/download/a.png') res.writeHead(302, { location: '/files-pri/T1-F1/cdn/a.png' }).end();
      else if (req.url === '/files-pri/T1-F1/cdn/a.png' && authed) res.writeHead(200, { 'content-type': 'image/png' }).end(bytes);
      else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html>Sign in to Slack</html>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const got = await slackAgentFiles('xoxb-test', `${origin}/api/`)(slackFile(`${origin}/files-pri/T1-F1/download/a.png`));
      expect(got.ok && (await read(got.body)).equals(bytes)).toBe(true);
      const page = await slackAgentFiles('xoxb-other', `${origin}/api/`)(slackFile(`${origin}/files-pri/T1-F1/download/a.png`));
      expect(page).toEqual({ ok: false, retry: false, reason: 'Slack answered with its sign-in page: add the files:read scope to the Slack app and reinstall it' });
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('Slack: never sends the token to a host that is not Slack\'s or its configured API', async () => {
    const got = await slackAgentFiles('xoxb-test', slack.url)(slackFile('https://evil.example/files-pri/T1-F1/a.png'));
    // Refused before any request: the reason is the guard's, not a network error's.
    expect(got).toEqual({ ok: false, retry: false, reason: 'Slack gave no download address for it' });
  });

  it('Discord: streams an attachment from its signed CDN link; an unsigned one is gone', async () => {
    const bytes = Buffer.alloc(5_000, 9);
    const a = discord.addAttachment('chart.png', bytes, 'image/png');
    const file: AgentFile = { name: 'chart.png', mime: 'image/png', platform: 'discord', ref: a.url };
    const got = await discordAgentFiles(discord.url)(file);
    expect(got.ok && (await read(got.body)).equals(bytes)).toBe(true);
    const unsigned = await discordAgentFiles(discord.url)({ ...file, ref: a.url.split('?')[0]! });
    expect(unsigned).toEqual({ ok: false, retry: false, reason: 'Discord answered 404' });
  });
});
