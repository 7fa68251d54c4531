import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured logs (pino) that never show secrets or customer phone numbers
 * (SPEC §10): known secret fields and phone-bearing fields are censored by
 * path, and code logs conversation ids, never customer ids.
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
