import type { z } from 'zod';
import type { Desk } from '../../core/desk.js';
import type { Clock } from '../../core/ports.js';
import { dispatch } from '../../handlers/dispatch.js';
import { jsonTooDeep } from '../../http/json-depth.js';
import { json, type HttpRequest, type HttpResponse, type Route } from '../../http/types.js';
import type { SandboxBoard } from './board.js';
import { readJson, refuseUnlessLocal } from './guard.js';
import { SANDBOX, SANDBOX_PATH } from './names.js';
import { pageRoutes } from './page-routes.js';
import { actionSchema, actionUpdate, agentActor, commandSchema, commandUpdate, replySchema, replyUpdate } from './to-update.js';

export interface SandboxRouteOptions {
  desk: Desk;
  board: SandboxBoard;
  clock: Clock;
  /** The agent's user id: the page's one person, a bootstrap admin. */
  agent: string;
  /** The agents' channel of the default queue. */
  channel: string;
  /** Runs a request's effect once per page id (see process-once.ts). */
  once: (key: string, run: () => Promise<void>) => Promise<'done' | 'duplicate'>;
}

/** How long a poll of the board waits for a change before answering "nothing new". Short, so a stopping server is not held. */
const POLL_WAIT_MS = 2_000;

/**
 * The sandbox messenger's "platform API" on the bot's one server: the page,
 * its board (polled: the page asks for what changed since the version it
 * has), and the page's changes as neutral updates: header buttons, thread
 * replies as the agent, commands in the channel.
 */
export function sandboxRoutes(o: SandboxRouteOptions): Route[] {
  const actor = agentActor(o.agent);
  const agentName = async () => (await o.desk.seats.ofActor(actor))?.name ?? o.agent;

  /** Checks where a change comes from, then parses its body with `schema`, before anything else runs. */
  const change = <S extends z.ZodType>(schema: S, run: (body: z.infer<S>) => Promise<HttpResponse>) => async (req: HttpRequest): Promise<HttpResponse> => {
    const refused = refuseUnlessLocal(req, true);
    if (refused) return refused;
    if (jsonTooDeep(req.rawBody)) return json(400, { error: 'too_deep', message: 'The JSON is nested too deep.' });
    const parsed = schema.safeParse(readJson(req));
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
      return json(400, { error: 'bad_request', message });
    }
    return run(parsed.data);
  };

  const board = async (req: HttpRequest): Promise<HttpResponse> => {
    const refused = refuseUnlessLocal(req, false);
    if (refused) return refused;
    const since = Number(req.query.get('since') ?? '0');
    const epoch = req.query.get('epoch') ?? undefined;
    const version = Number.isSafeInteger(since) ? since : 0;
    let changes = await o.board.changes(epoch, version);
    if (!changes.full && !changes.threads.length && !changes.notes.length) {
      await o.board.waitForChange(version, POLL_WAIT_MS);
      changes = await o.board.changes(epoch, version);
    }
    return json(200, { ...changes, agent: await agentName() }, { 'cache-control': 'no-store' });
  };

  const press = change(actionSchema, async (a) => {
    const conv = await o.desk.conversations.get(a.convId);
    if (conv?.thread?.platform !== SANDBOX) return json(404, { error: 'no_thread', message: 'No sandbox thread of that conversation; reload the page.' });
    const thread = conv.thread;
    await o.once(`action:${a.id}`, () => dispatch(o.desk, actionUpdate(actor, a, thread)));
    return json(200, { ok: true });
  });

  const reply = change(replySchema, async (r) => {
    const thread = await o.board.thread(r.thread);
    if (!thread) return json(404, { error: 'no_thread', message: 'No such thread; reload the page.' });
    // As on a real messenger, the message is in the thread first; the desk then decides what it is.
    const postId = `agent-${r.id}`;
    await o.board.addPost(thread.id, { id: postId, kind: 'agent', author: await agentName(), text: r.text, at: o.clock.now() });
    const where = { workspace: thread.channel, channel: thread.channel, thread: thread.id };
    await o.once(`reply:${r.id}`, () => dispatch(o.desk, replyUpdate(actor, where, postId, r.text)));
    return json(200, { ok: true, id: postId });
  });

  const command = change(commandSchema, async (c) => {
    await o.once(`command:${c.id}`, () => dispatch(o.desk, commandUpdate(actor, o.channel, c.text)));
    return json(200, { ok: true });
  });

  return [
    ...pageRoutes(),
    { method: 'GET', path: `${SANDBOX_PATH}board`, handler: board },
    { method: 'POST', path: `${SANDBOX_PATH}action`, handler: press },
    { method: 'POST', path: `${SANDBOX_PATH}reply`, handler: reply },
    { method: 'POST', path: `${SANDBOX_PATH}command`, handler: command },
  ];
}
