/** One thing `threaddesk doctor` checked: fine, or wrong with what to do about it. */
export interface Finding {
  /** What was checked, as the operator knows it: `Slack`, `Telegram chat -100…`, `Redis`. */
  part: string;
  ok: boolean;
  /** What was found, in a sentence. */
  said: string;
  /** What to do, when something must be fixed. */
  fix?: string;
}

/** What a module's check gets besides its own settings. */
export interface DoctorContext {
  /** The channels queues put on this messenger (its default one included), to check each exists and the bot may post there. */
  channels: readonly string[];
  /** How long one platform call may take before it counts as unreachable. */
  timeoutMs: number;
}

/** A failed call's short reason: the platform's error code when it has one. */
export function reasonOf(err: unknown): string {
  const e = err as { code?: unknown; data?: { error?: unknown }; description?: unknown; message?: unknown };
  return String(e.data?.error ?? e.description ?? e.message ?? e.code ?? err);
}
