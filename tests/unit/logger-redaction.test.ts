import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/runtime/logger.js';

/** A logger at debug writing into `lines`. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  return { log: createLogger('debug', sink), lines };
}

// A real-shaped WhatsApp message id: its base64 spells the number 491705550304.
const WAMID = 'wamid.HBgMNDkxNzA1NTUwMzA0FQIAEhggQTJCM0M0RDVFNkY3QTg5QjBDMUQyRTNGNEE1QjY3OEMA';

describe('the log never shows secrets or phone numbers', () => {
  it('censors secret and phone-bearing fields by name', () => {
    const { log, lines } = capture();
    log.info({ from: '491705550304', to: '491705550305', req: { headers: { authorization: 'Bearer xoxb-1' } }, source: { token: 't0k3n', secret: 's3cr3t' } }, 'hello');
    const line = lines.join('');
    for (const leaked of ['491705550304', '491705550305', 'xoxb-1', 't0k3n', 's3cr3t']) expect(line).not.toContain(leaked);
    expect(line).toContain('[redacted]');
  });

  it('logs a WhatsApp message id as a short hash, the same for the same id, never its base64', () => {
    const { log, lines } = capture();
    log.warn({ messageId: WAMID, skipped: [WAMID, 'other'], count: 2 }, 'a message');
    log.warn({ messageId: WAMID }, 'the same message again');
    const [first, second] = lines.map((l) => JSON.parse(l) as { messageId: string; skipped?: string[]; count?: number });
    expect(lines.join('')).not.toContain('HBgMNDkxNzA1NTUwMzA0');
    expect(first!.messageId).toMatch(/^wamid\.#[0-9a-f]{12}$/);
    expect(second!.messageId).toBe(first!.messageId);
    expect(first!.skipped).toEqual([first!.messageId, 'other']);
    expect(first!.count).toBe(2);
  });
});
