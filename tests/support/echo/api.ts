import { z } from 'zod';

/** An answer of the Echo API other than ok: its HTTP status and error code. */
export class EchoApiError extends Error {
  constructor(readonly method: string, readonly status: number, readonly code: string) {
    super(`Echo ${method} failed: ${status} ${code}`);
  }
}

const answerSchema = z.looseObject({ ok: z.boolean(), error: z.string().optional() });
const meSchema = z.object({ id: z.string() });
const postedSchema = z.object({ id: z.string(), thread: z.string() });

/**
 * The Echo messenger's HTTP API as the bot calls it (Node fetch, bearer
 * token): one method per call, each answering `{ ok, error?, ... }`.
 */
export class EchoApi {
  constructor(private readonly baseUrl: string, private readonly token: string) {}

  async me(): Promise<{ id: string }> {
    return meSchema.parse(await this.call('me', undefined));
  }

  /** Posts in a thread, or without `thread` opens a new one whose id is the post's id. */
  async post(channel: string, text: string, thread?: string): Promise<{ id: string; thread: string }> {
    return postedSchema.parse(await this.call('post', { channel, text, ...(thread ? { thread } : {}) }));
  }

  async edit(channel: string, id: string, text: string): Promise<void> { await this.call('edit', { channel, id, text }); }
  async react(channel: string, id: string, emoji: string): Promise<void> { await this.call('react', { channel, id, emoji }); }
  /** A message only `user` sees, shown in a channel or thread. */
  async private(user: string, text: string, channel?: string, thread?: string): Promise<void> {
    await this.call('private', { user, text, ...(channel ? { channel } : {}), ...(thread ? { thread } : {}) });
  }
  async dm(user: string, text: string): Promise<void> { await this.call('dm', { user, text }); }

  private async call(method: string, body: Record<string, unknown> | undefined): Promise<unknown> {
    const res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/api/${method}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${this.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = answerSchema.safeParse(await res.json().catch(() => undefined));
    if (!res.ok || !answer.success || !answer.data.ok) throw new EchoApiError(method, res.status, (answer.success ? answer.data.error : undefined) ?? 'unreadable answer');
    return answer.data;
  }
}
