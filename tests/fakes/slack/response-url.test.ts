import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackFake, type SlackFake } from './index.js';

/** The fake's response_url behaves as Slack's: JSON posts, 5 within 30 minutes, answered `ok`. */
describe('Slack fake response_url', () => {
  let fake: SlackFake;
  beforeAll(async () => { fake = await startSlackFake(); });
  afterAll(async () => { await fake?.close(); });
  const post = async (url: string, body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text() };
  };

  it('accepts five JSON posts with "ok", then answers expired_url', async () => {
    const url = fake.responseUrl();
    for (let i = 1; i <= 5; i++) expect(await post(url, JSON.stringify({ response_type: 'ephemeral', text: `n${i}` }))).toEqual({ status: 200, text: 'ok' });
    expect(await post(url, JSON.stringify({ text: 'n6' }))).toEqual({ status: 404, text: 'expired_url' });
    expect(fake.responseTexts(url)).toEqual(['n1', 'n2', 'n3', 'n4', 'n5']);
  });

  it('refuses a body that is not JSON or has nothing to show, without using up the URL, and a URL it never issued', async () => {
    const url = fake.responseUrl();
    expect(await post(url, 'text=hello')).toEqual({ status: 400, text: 'invalid_payload' });
    expect(await post(url, JSON.stringify({ response_type: 'ephemeral' }))).toEqual({ status: 400, text: 'no_text' });
    expect(await post(url, JSON.stringify({ text: 'fine' }))).toEqual({ status: 200, text: 'ok' });
    expect(await post(`${fake.origin}/commands/T0001/123/abcdef`, JSON.stringify({ text: 'x' }))).toEqual({ status: 404, text: 'expired_url' });
  });
});
