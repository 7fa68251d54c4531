import { readFileSync } from 'node:fs';

/** The per-message figures a cost run records for first messages and follow-ups. */
interface Figures {
  storeCalls: number;
  commits: number;
  fsyncs: number;
  /** Absent in files from before it was counted. */
  redisWrites?: number;
  slackCalls: number;
  processCpuMs: number;
}

interface CostFile {
  machine?: { date?: string; loadAverage1m?: number };
  cases?: { label?: string; result?: { firstMessage?: Figures; followUp?: Figures; followUpAlone?: Figures } }[];
}

const FIELDS = ['storeCalls', 'commits', 'fsyncs', 'redisWrites', 'slackCalls', 'processCpuMs'] as const;

/**
 * The same store's figures from an earlier `cost.json` (`BENCH_COST_BEFORE`,
 * e.g. a copy kept before a change), beside this run's and their difference,
 * so one results file shows a change's before and after. Undefined without
 * a file or a case of that store in it.
 */
export function compareWithEarlier(file: string | undefined, store: string, now: { firstMessage: Figures; followUp: Figures; followUpAlone?: Figures }) {
  if (!file) return undefined;
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as CostFile;
  const result = earlier.cases?.find((c) => c.label === store)?.result;
  if (!result?.firstMessage || !result.followUp) return undefined;
  const pick = (f: Figures) => Object.fromEntries(FIELDS.filter((k) => f[k] !== undefined).map((k) => [k, f[k]]));
  // Files from before the lone follow-ups were counted have none to compare.
  const alone = result.followUpAlone && now.followUpAlone ? { earlier: result.followUpAlone, now: now.followUpAlone } : undefined;
  const change = (a: Figures, b: Figures) => Object.fromEntries(FIELDS.filter((k) => a[k] !== undefined && b[k] !== undefined).map((k) => [k, Math.round((b[k]! - a[k]!) * 100) / 100]));
  return {
    before: {
      date: earlier.machine?.date, loadAverage1m: earlier.machine?.loadAverage1m, firstMessage: pick(result.firstMessage), followUp: pick(result.followUp),
      ...(alone ? { followUpAlone: pick(alone.earlier) } : {}),
    },
    change: {
      firstMessage: change(result.firstMessage, now.firstMessage), followUp: change(result.followUp, now.followUp),
      ...(alone ? { followUpAlone: change(alone.earlier, alone.now) } : {}),
    },
  };
}
