import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readRawBody } from '../whatsapp/read-raw-body.js';
import { waitFor } from '../whatsapp/wait-for.js';
import { writeJson } from '../whatsapp/write-json.js';
import { signApiBody } from './send-api-message.js';

/** One callback the bot delivered. */
export interface ReceivedCallback {
  method: string;
  path: string;
  /** Parsed JSON, or the raw text when it is not JSON. */
  body: unknown;
  rawBody: string;
  /** True only when `X-Signature` is the HMAC of the raw bytes with the shared secret. */
  signatureValid: boolean;
  headers: IncomingHttpHeaders;
  /** What the receiver answered. */
  responseStatus: number;
  time: number;
}

/** An answer to force with `failNext`. */
export interface CallbackFailure {
  status: number;
  /** Sent as the `Retry-After` header, in seconds. */
  retryAfter?: number;
  body?: unknown;
}

export interface CallbackReceiverOptions {
  /** The shared HMAC secret (the bot's `INBOUND_API_SECRET`). */
  secret: string;
  /** Answer 401 to badly signed callbacks, as a real customer system would. Default true. */
  rejectInvalidSignature?: boolean;
}

/** A running callback receiver. */
export interface CallbackReceiver {
  /** `http://127.0.0.1:<port>`; callbacks may go to any path under it. */
  readonly url: string;
  readonly received: ReceivedCallback[];
  /** The next `n` callbacks get this answer (after being recorded). */
  failNext(n: number, failure: CallbackFailure): void;
  /** Resolves with the predicate's first truthy value; rejects after `timeoutMs`. */
  waitFor<T>(
    predicate: (receiver: CallbackReceiver) => T | undefined | null | false,
    timeoutMs?: number,
  ): Promise<NonNullable<T>>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * Compares `X-Signature` with "sha256=" + hex HMAC-SHA256(raw body, secret)
 * in constant time (SPEC §4 signing; `timingSafeEqual` needs equal lengths,
 * so a length mismatch is a plain mismatch).
 */
export function verifyApiSignature(secret: string, rawBody: string, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signApiBody(secret, rawBody), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Starts the customer system's side of the generic API on 127.0.0.1 and a
 * random port: it receives the bot's signed callbacks (agent replies going
 * back to the customer system), checks `X-Signature`, records each one and
 * answers 200 `{ok:true}`, or a forced failure such as 503 with `Retry-After`
 * so tests can watch the bot's retries.
 */
export async function startCallbackReceiver(options: CallbackReceiverOptions): Promise<CallbackReceiver> {
  const received: ReceivedCallback[] = [];
  const failures: CallbackFailure[] = [];

  const server = createServer((req, res) => {
    void (async () => {
      const rawBody = await readRawBody(req);
      const header = req.headers['x-signature'];
      const signatureValid = verifyApiSignature(options.secret, rawBody, Array.isArray(header) ? header[0] : header);
      let body: unknown = rawBody;
      try {
        body = JSON.parse(rawBody);
      } catch {
        // Not JSON: keep the text so the test can see what arrived.
      }
      const forced = failures.shift();
      const refuse = !signatureValid && options.rejectInvalidSignature !== false;
      const status = forced?.status ?? (refuse ? 401 : 200);
      received.push({
        method: req.method ?? 'POST',
        path: req.url ?? '/',
        body,
        rawBody,
        signatureValid,
        headers: req.headers,
        responseStatus: status,
        time: Date.now(),
      });
      const headers: Record<string, string> =
        forced?.retryAfter === undefined ? {} : { 'retry-after': String(forced.retryAfter) };
      let answer: unknown = { ok: true };
      if (forced) answer = forced.body ?? { ok: false };
      else if (refuse) answer = { ok: false, error: 'invalid_signature' };
      writeJson(res, status, answer, headers);
    })().catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const receiver: CallbackReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    failNext(n, failure) {
      for (let i = 0; i < n; i += 1) failures.push(failure);
    },
    waitFor(predicate, timeoutMs) {
      return waitFor(() => predicate(receiver), timeoutMs, 'callback receiver predicate');
    },
    reset() {
      received.length = 0;
      failures.length = 0;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
  return receiver;
}
