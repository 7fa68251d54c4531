import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from './parse-request-body.js';

/** Slack takes up to 5 posts to one response_url, within 30 minutes of the command (platform-facts.md §4). */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60_000;

/** One POST to a response_url, as the fake saw it. */
export interface ResponseUrlPost {
  /** The response_url it was sent to. */
  url: string;
  /** The JSON body (`{text, response_type, replace_original, …}`); undefined when it was not JSON. */
  body: Record<string, unknown> | undefined;
  /** What the fake answered: 200 'ok', or an error. */
  status: number;
  answer: string;
  time: number;
}

interface Issued {
  createdAt: number;
  uses: number;
}

/**
 * Response URLs of slash commands and interactions: issued with the payload
 * (`issue`), then POSTed to by the app with JSON. Like Slack, each accepts 5
 * posts within 30 minutes and answers `ok` (text/plain); after that, or for a
 * URL it never issued, 404 `expired_url`; a body that is not JSON, 400
 * `invalid_payload`; one with neither text nor blocks, 400 `no_text`.
 */
export class ResponseUrls {
  readonly posts: ResponseUrlPost[] = [];
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly changed: () => void) {}

  /** A fresh response_url for a payload of `team`. */
  issue(origin: string, team: string): string {
    const path = `/commands/${team}/${Date.now()}${randomBytes(2).readUInt16BE()}/${randomBytes(12).toString('hex')}`;
    this.issued.set(path, { createdAt: Date.now(), uses: 0 });
    return `${origin}${path}`;
  }

  /** Whether `path` is a response_url path this fake serves. */
  static matches(path: string): boolean {
    return /^\/commands\/[A-Z0-9]+\/\d+\/[0-9a-f]+$/.test(path);
  }

  async handle(origin: string, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const issued = this.issued.get(path);
    let body: Record<string, unknown> | undefined;
    try {
      const parsed: unknown = JSON.parse(raw.toString('utf8'));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const [status, answer] =
      req.method !== 'POST' ? [405, 'method_not_allowed']
      : !issued || issued.uses >= RESPONSE_URL_USES || Date.now() - issued.createdAt > RESPONSE_URL_LIFETIME_MS ? [404, 'expired_url']
      : !body ? [400, 'invalid_payload']
      : typeof body.text !== 'string' && !Array.isArray(body.blocks) ? [400, 'no_text']
      : [200, 'ok'];
    if (status === 200) issued!.uses += 1;
    this.posts.push({ url: `${origin}${path}`, body, status, answer, time: Date.now() });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
    this.changed();
  }

  /** The texts accepted at `url`, oldest first. */
  textsAt(url: string): string[] {
    return this.posts.filter((p) => p.url === url && p.status === 200).map((p) => String(p.body?.text ?? ''));
  }

  clear(): void {
    this.posts.length = 0;
    this.issued.clear();
  }
}
