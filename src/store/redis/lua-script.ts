import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import { COMPARE_AND_DELETE, COMPARE_AND_SET, REMOVE_MEMBER_IF_LIST_EMPTY, REMOVE_MEMBER_IF_LIST_EMPTY_RELEASING, RESERVE_SPACING, SETTLE_LIST_HEAD, SHIFT_SPACING, TAKE_LEASE_AND_RANGE } from './lua-scripts.js';

type ScriptOptions = { keys: string[]; arguments: string[] };

/**
 * A Lua script sent by its SHA1 (EVALSHA): the body goes over the wire once
 * per server, not with every call, and Redis neither receives nor hashes it
 * again. A server that does not know it (a restart, a failover, SCRIPT FLUSH)
 * answers NOSCRIPT, and the call is made once with the body (EVAL), which
 * also loads it for the next ones.
 */
export class LuaScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: RedisClient, options: ScriptOptions): Promise<unknown> {
    try {
      return await client.evalSha(this.sha, options);
    } catch (err) {
      if (!String((err as Error)?.message ?? err).startsWith('NOSCRIPT')) throw err;
      return client.eval(this.source, options);
    }
  }
}

/** The store's scripts, each sent by its SHA1 once Redis knows it. */
export const SCRIPTS = {
  COMPARE_AND_DELETE: new LuaScript(COMPARE_AND_DELETE),
  COMPARE_AND_SET: new LuaScript(COMPARE_AND_SET),
  REMOVE_MEMBER_IF_LIST_EMPTY: new LuaScript(REMOVE_MEMBER_IF_LIST_EMPTY),
  REMOVE_MEMBER_IF_LIST_EMPTY_RELEASING: new LuaScript(REMOVE_MEMBER_IF_LIST_EMPTY_RELEASING),
  RESERVE_SPACING: new LuaScript(RESERVE_SPACING),
  SETTLE_LIST_HEAD: new LuaScript(SETTLE_LIST_HEAD),
  SHIFT_SPACING: new LuaScript(SHIFT_SPACING),
  TAKE_LEASE_AND_RANGE: new LuaScript(TAKE_LEASE_AND_RANGE),
};
