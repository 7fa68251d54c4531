import { createHash } from 'node:crypto';
import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs (pino) that never show secrets or customer phone numbers
 * (SPEC §10): known secret fields and phone-bearing fields are censored by
 * path, and code logs conversation ids, never customer ids. A WhatsApp
 * message id (`wamid.…`) is base64 that spells the customer's number, so any
 * top-level value that is one is logged as a short hash of it instead: still
 * the same for the same message, so lines can be matched.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'threaddesk' },
      redact: {
        paths: [
          '*.token', '*.secret', '*.password', '*.authorization', '*.Authorization',
          'headers.authorization', 'headers.cookie', 'req.headers.authorization',
          '*.access_token', '*.accessToken', '*.appSecret', '*.signingSecret',
          'to', '*.to', 'from', '*.from', 'wa_id', '*.wa_id', 'phone', '*.phone', 'customerId', '*.customerId',
          'body', '*.body',
        ],
        censor: '[redacted]',
      },
      formatters: { log: maskWamids },
    },
    destination,
  );
}

const WAMID = /^wamid\./;

/** `wamid.#<12 hex>` for each top-level string (or string in a top-level array) that is a WhatsApp message id. */
export function maskWamids(fields: Record<string, unknown>): Record<string, unknown> {
  let masked: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(fields)) {
    const next = typeof value === 'string' ? maskOne(value)
      : Array.isArray(value) && value.some((v) => typeof v === 'string' && WAMID.test(v)) ? value.map((v) => (typeof v === 'string' ? maskOne(v) : v))
      : value;
    if (next !== value) (masked ??= { ...fields })[name] = next;
  }
  return masked ?? fields;
}

function maskOne(value: string): string {
  return WAMID.test(value) ? `wamid.#${createHash('sha256').update(value).digest('hex').slice(0, 12)}` : value;
}
