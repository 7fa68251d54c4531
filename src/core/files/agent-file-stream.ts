import type { AgentFile } from './agent-file.js';

/**
 * An agent's file as its messenger hands it over: a stream, read once, piped
 * into the channel's upload (never the whole file in memory twice).
 */
export type FetchedAgentFile =
  | { ok: true; body: ReadableStream<Uint8Array>; size?: number }
  /** `retry`: the messenger may give it later (network, 5xx, 429); otherwise it never will (401, 404, too big). */
  | { ok: false; retry: boolean; reason: string };

/** The port each messenger provides for its own files; the composition root routes by `file.platform`. */
export type AgentFileFetcher = (file: AgentFile) => Promise<FetchedAgentFile>;
