import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type LoadResult } from '../../../src/config/load-config.js';
import { EchoApi, EchoApiError } from '../../support/echo/api.js';
import { ECHO_REGISTRY } from '../../support/drivers/echo.js';
import { startEchoFake, type EchoFake } from './start-echo-fake.js';

const API = { INBOUND_API_SECRET: '0123456789abcdef0123456789abcdef' } as const;
const ECHO = { ECHO_API_URL: 'http://127.0.0.1:9', ECHO_SECRET: 'echo-secret-for-tests', ECHO_CHANNEL: 'E-SUPPORT' } as const;
const noFile = (): string => { throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' }); };

function problemsOf(result: LoadResult): string[] {
  if (result.ok) throw new Error('expected problems, got a config');
  return result.problems;
}

describe('the Echo messenger module, registered from tests/', () => {
  it('is configured by its own variables and takes queues through its channel key', () => {
    const loaded = loadConfig({ ...API, ...ECHO }, () => 'queues:\n  - name: vip\n    department: vip\n    echo_channel: E-VIP\n', ECHO_REGISTRY);
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    expect(Object.keys(loaded.config.messengers)).toEqual(['echo']);
    expect(loaded.config.queues.map((q) => [q.name, q.messenger, q.channel])).toEqual([['default', 'echo', 'E-SUPPORT'], ['vip', 'echo', 'E-VIP']]);
  });

  it('names each missing variable when half configured, and says how to turn it on when nothing is', () => {
    const half = problemsOf(loadConfig({ ...API, ECHO_API_URL: ECHO.ECHO_API_URL }, noFile, ECHO_REGISTRY));
    expect(half.filter((p) => p.startsWith('ECHO_'))).toEqual([expect.stringContaining('ECHO_SECRET is missing'), expect.stringContaining('ECHO_CHANNEL is missing')]);
    expect(problemsOf(loadConfig({ ...API }, noFile, ECHO_REGISTRY)).find((p) => p.includes('No messenger'))).toContain('ECHO_API_URL, ECHO_SECRET and ECHO_CHANNEL');
  });

  it('is unknown to the shipped registry', () => {
    expect(problemsOf(loadConfig({ ...API, ...ECHO }, noFile)).find((p) => p.includes('No messenger'))).toBeDefined();
  });
});

describe('the Echo fake platform', () => {
  let fake: EchoFake;
  beforeEach(async () => { fake = await startEchoFake({ secret: ECHO.ECHO_SECRET }); });
  afterEach(async () => { await fake.close(); });

  it('opens a thread with a post, posts, edits and reacts in it, and records every call', async () => {
    const api = new EchoApi(fake.url, ECHO.ECHO_SECRET);
    const header = await api.post('E-SUPPORT', 'header');
    expect(header.thread).toBe(header.id);
    const reply = await api.post('E-SUPPORT', 'hello', header.thread);
    await api.edit('E-SUPPORT', header.id, 'header v2');
    await api.react('E-SUPPORT', reply.id, '✅');
    await api.private('EAGENT', 'psst', 'E-SUPPORT', header.thread);
    await api.dm('EAGENT', 'hi');
    expect(fake.thread('E-SUPPORT', header.thread).map((m) => [m.text, m.edits, m.reactions.length])).toEqual([['header v2', 1, 0], ['hello', 0, 1]]);
    expect([fake.privates.length, fake.dms.length, fake.calls.map((c) => c.method)]).toEqual([1, 1, ['post', 'post', 'edit', 'react', 'private', 'dm']]);
  });

  it('refuses a wrong token with 401, an unknown thread with 404, and records the refused call', async () => {
    const bad = await new EchoApi(fake.url, 'wrong-secret').me().catch((err: unknown) => err);
    expect(bad).toBeInstanceOf(EchoApiError);
    expect((bad as EchoApiError).status).toBe(401);
    const lost = await new EchoApi(fake.url, ECHO.ECHO_SECRET).post('E-SUPPORT', 'x', 'm999').catch((err: unknown) => err);
    expect((lost as EchoApiError).code).toBe('thread_not_found');
    expect(fake.calls.map((c) => c.method)).toEqual(['post']);
  });
});
