/** What an open-loop request records: when it left, when its answer's headers arrived, the status (0: failed or no answer in time). */
export interface Timed {
  sentAt: number;
  answeredAt: number;
  status: number;
  /** With status 0: why (the request's error code or message, or `no answer in time`). */
  error?: string;
}

/**
 * Sends a schedule open loop, as a platform delivers webhooks: item i leaves
 * at start + atMs whatever became of the ones before. Returns each result with
 * how late its send was, once all are answered or `answerTimeoutMs` after the
 * last send; `failed` stands in for a request that threw or got no answer by
 * then. send-open-loop.ts runs it for customer webhooks.
 */
export async function runOpenLoop<P extends { atMs: number }, R extends Timed>(
  plan: readonly P[],
  send: (item: P, i: number) => Promise<R>,
  failed: (item: P, i: number, sentAt: number, answeredAt: number) => R,
  answerTimeoutMs: number,
): Promise<Array<R & { lateMs: number }>> {
  const results: Array<(R & { lateMs: number }) | undefined> = new Array(plan.length);
  const pending: Array<Promise<void>> = [];
  const start = Date.now();
  for (let i = 0; i < plan.length; i++) {
    const item = plan[i]!;
    const wait = start + item.atMs - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const lateMs = Date.now() - (start + item.atMs);
    const sentAt = Date.now();
    pending.push(send(item, i).then(
      (r) => { results[i] = { ...r, lateMs }; },
      (err: unknown) => {
        const e = err as { code?: string; message?: string };
        results[i] = { ...failed(item, i, sentAt, Date.now()), lateMs, error: e?.code ?? e?.message ?? String(err) };
      },
    ));
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(pending), new Promise((r) => { timer = setTimeout(r, answerTimeoutMs); })]);
  clearTimeout(timer);
  const givenUpAt = Date.now();
  return plan.map((item, i) => results[i] ?? { ...failed(item, i, start + item.atMs, givenUpAt), lateMs: 0, error: 'no answer in time' });
}
