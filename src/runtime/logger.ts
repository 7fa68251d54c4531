import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs (pino) that never show secrets or customer phone numbers
 * (SPEC §10): known secret fields and phone-bearing fields are censored by
 * path; `maskPhone` is for text that must name a customer.
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
    },
    destination,
  );
}

/** `+491701234567` → `+49*******567`: enough to tell two customers apart in a log, not to call one. */
export function maskPhone(value: string): string {
  if (value.length <= 5) return '*'.repeat(value.length);
  return value.slice(0, 3) + '*'.repeat(value.length - 6) + value.slice(-3);
}
