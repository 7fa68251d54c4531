import { readFileSync } from 'node:fs';

/** The per-message figures a cost run records for first messages and follow-ups. */
interface Figures {
  storeCalls: number;
  commits: number;
  fsyncs: number;
  slackCalls: number;
  processCpuMs: number;
}

interface CostFile {
  machine?: { date?: string; loadAverage1m?: number };
  cases?: { label?: string; result?: { firstMessage?: Figures; followUp?: Figures } }[];
}

const FIELDS = ['storeCalls', 'commits', 'fsyncs', 'slackCalls', 'processCpuMs'] as const;

/**
 * The same store's figures from an earlier `cost.json` (`BENCH_COST_BEFORE`,
 * e.g. a copy kept before a change), beside this run's and their difference,
 * so one results file shows a change's before and after. Undefined without
 * a file or a case of that store in it.
 */
export function compareWithEarlier(file: string | undefined, store: string, now: { firstMessage: Figures; followUp: Figures }) {
  if (!file) return undefined;
  const earlier = JSON.parse(readFileSync(file, 'utf8')) as CostFile;
  const result = earlier.cases?.find((c) => c.label === store)?.result;
  if (!result?.firstMessage || !result.followUp) return undefined;
  const pick = (f: Figures) => Object.fromEntries(FIELDS.map((k) => [k, f[k]]));
  const change = (a: Figures, b: Figures) => Object.fromEntries(FIELDS.map((k) => [k, Math.round((b[k] - a[k]) * 100) / 100]));
  return {
    before: { date: earlier.machine?.date, loadAverage1m: earlier.machine?.loadAverage1m, firstMessage: pick(result.firstMessage), followUp: pick(result.followUp) },
    change: { firstMessage: change(result.firstMessage, now.firstMessage), followUp: change(result.followUp, now.followUp) },
  };
}
