import type { FetchedAgentFile } from '../../core/files/agent-file-stream.js';

/**
 * Reads a fetched response as an agent file: 200 with a body is the file,
 * 429 and 5xx may pass later, anything else will not (`what` names the
 * messenger and the fix in the reason).
 */
export function fetchedFromResponse(res: Response, what: string): FetchedAgentFile {
  // A redirect (to a sign-in page, when the token lacks a scope) is not the file.
  if (res.status === 200 && res.body) {
    const length = Number(res.headers.get('content-length'));
    return { ok: true, body: res.body, ...(Number.isFinite(length) && length > 0 ? { size: length } : {}) };
  }
  void res.body?.cancel();
  return { ok: false, retry: res.status === 429 || res.status >= 500, reason: `${what} answered ${res.status}` };
}

/** A fetch that threw (network, timeout) may pass later. */
export async function fetchFile(url: string, init: RequestInit, what: string): Promise<FetchedAgentFile> {
  try {
    return fetchedFromResponse(await fetch(url, { ...init, redirect: 'manual' }), what);
  } catch (err) {
    return { ok: false, retry: true, reason: `${what} could not be reached (${(err as Error).message})` };
  }
}
