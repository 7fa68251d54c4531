import { randomHex } from '../../../src/runtime/random-hex.js';
import type { EventEmitter } from 'node:events';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import { authenticate } from './authenticate.js';
import type { RecordedCall } from './fake-state.js';
import type { MethodContext } from './method-context.js';
import { parseRequestBody, readBody } from './parse-request-body.js';
import type { RateLimiter } from './rate-limits.js';
import { METHOD_SCOPES, WEB_API_METHODS } from './web-api-methods.js';

/** What the Web API route needs from the fake. */
export interface WebApiDeps {
  ctx: MethodContext;
  limiter: RateLimiter;
  events: EventEmitter;
}

/**
 * Serves `POST /api/<method>` in Slack's order: decode the body, reject
 * unknown methods, apply any scripted failure, authenticate, rate-limit, then
 * run the method. Method errors are HTTP 200 with `{ok:false,error}`; a rate
 * limit is HTTP 429 with `Retry-After: <seconds>` and `{ok:false,error:'ratelimited'}`
 * (docs.slack.dev/apis/web-api/rate-limits; "ratelimited: Refer to the
 * Retry-After header" in the method references). Nothing is applied on a 429.
 * A `loseAnswerNext` script lets the method run, then drops the connection
 * without an answer.
 */
export async function handleWebApi(
  deps: WebApiDeps,
  method: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { ctx, limiter, events } = deps;
  const parsed = parseRequestBody(req.headers['content-type'], await readBody(req));
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://fake').searchParams);
  const args = { ...query, ...parsed.args };
  const call: RecordedCall = { method, args, status: 200, ok: false, time: Date.now() };
  ctx.state.calls.push(call);

  const answer = (status: number, body: Record<string, unknown> | string, headers: Record<string, string> = {}): void => {
    call.status = status;
    if (typeof body === 'string') {
      call.error = `http_${status}`;
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
    } else {
      call.ok = body.ok === true;
      call.error = typeof body.error === 'string' ? body.error : undefined;
      // Slack echoes the error code in `x-slack-failure` (seen on real error responses).
      const failure = call.error ? { 'x-slack-failure': call.error } : {};
      res
        .writeHead(status, {
          'content-type': 'application/json; charset=utf-8',
          // From a pool (one id per answer): a call into OpenSSL per id was ~6 % of the throughput benchmark's load process, with the wamids.
          'x-slack-req-id': randomHex(16),
          ...failure,
          ...headers,
        })
        .end(JSON.stringify(body));
    }
    events.emit('change');
  };
  const rateLimited = (retryAfter: number): void => {
    ctx.state.rateLimitedCount += 1;
    answer(429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(retryAfter) });
  };

  if (parsed.error) return answer(200, { ok: false, error: parsed.error });
  const handler = WEB_API_METHODS[method];
  if (!handler) return answer(200, { ok: false, error: 'unknown_method', req_method: method });

  const failure = ctx.state.failures.get(method);
  if (failure) {
    failure.count -= 1;
    if (failure.count <= 0) ctx.state.failures.delete(method);
    const status = failure.status ?? 200;
    if (status === 429) return rateLimited(failure.retryAfter ?? 1);
    if (status === 200 || failure.error) return answer(status, { ok: false, error: failure.error ?? 'internal_error' });
    return answer(status, `${status} ${STATUS_CODES[status] ?? ''}`.trim());
  }

  const auth = authenticate(ctx.config, method, req.headers.authorization, args);
  if ('error' in auth) return answer(200, { ok: false, error: auth.error });
  call.tokenType = auth.tokenType;
  // Slack names the token's scopes in `x-oauth-scopes` on every answer to an authenticated call
  // (docs.slack.dev "Scopes and permissions"; @slack/web-api reads it into response_metadata.scopes).
  const scopeHeader = auth.tokenType === 'bot' ? { 'x-oauth-scopes': ctx.config.scopes.join(',') } : { 'x-oauth-scopes': 'connections:write' };
  const answerAuthed = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) => answer(status, body, { ...scopeHeader, ...headers });

  const retryAfter = limiter.check(method, args);
  if (retryAfter > 0) return rateLimited(retryAfter);

  const needed = METHOD_SCOPES[method];
  if (auth.tokenType === 'bot' && needed && !needed.some((s) => ctx.config.scopes.includes(s))) {
    // Slack's missing_scope answer names what the method needs and what the token has.
    return answerAuthed(200, { ok: false, error: 'missing_scope', needed: needed.join(','), provided: ctx.config.scopes.join(',') }, { 'x-accepted-oauth-scopes': needed.join(',') });
  }
  const result = handler(ctx, args);
  if (takeLostAnswer(ctx, method)) {
    // The call took effect; the caller never hears of it (a reset connection, as when the network drops).
    call.status = 0;
    call.ok = result.ok === true;
    call.error = typeof result.error === 'string' ? result.error : undefined;
    events.emit('change');
    res.destroy();
    return;
  }
  answerAuthed(200, result);
}

/** Counts down a `loseAnswerNext` script for `method`; true when this call's answer is to be lost. */
function takeLostAnswer(ctx: MethodContext, method: string): boolean {
  const left = ctx.state.lostAnswers.get(method) ?? 0;
  if (left <= 0) return false;
  if (left === 1) ctx.state.lostAnswers.delete(method);
  else ctx.state.lostAnswers.set(method, left - 1);
  return true;
}
