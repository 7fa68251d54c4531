import { readFileSync } from 'node:fs';
import type { Config } from '../config/config.js';
import { formatProblems, loadConfig } from '../config/load-config.js';
import type { Registry } from '../config/registry.js';
import { MODULES } from '../modules.js';
import { checkStore } from './check-store.js';
import { reasonOf, type DoctorContext, type Finding } from './finding.js';

export interface DoctorOptions {
  registry?: Registry;
  readFile?: (path: string) => string;
  /** Where the report goes (stdout). */
  write: (text: string) => void;
  /** Per platform call; default 10 s. */
  timeoutMs?: number;
}

/**
 * `threaddesk doctor`: loads the configuration as start-up does (every
 * problem at once), then checks each configured part against its platform
 * (tokens, scopes, channels, rights, webhook) and the store, and prints what
 * to fix. Exit code: 0 all fine, 1 something to fix, 2 the configuration
 * itself is wrong.
 */
export async function runDoctor(env: Record<string, string | undefined>, o: DoctorOptions): Promise<number> {
  const loaded = loadConfig(env, o.readFile ?? ((p) => readFileSync(p, 'utf8')), o.registry ?? MODULES);
  if (!loaded.ok) {
    o.write(formatProblems(loaded.problems).replace('threaddesk cannot start', 'threaddesk doctor') + '\n');
    return 2;
  }
  const timeoutMs = o.timeoutMs ?? 10_000;
  const findings = await collectFindings(loaded.config, timeoutMs);
  o.write(formatFindings(findings));
  return findings.some((f) => !f.ok) ? 1 : 0;
}

async function collectFindings(config: Config, timeoutMs: number): Promise<Finding[]> {
  const findings: Finding[] = [await checkStore(config, timeoutMs)];
  const messengerLabel = (id: string) => config.registry.messengers.find((m) => m.id === id)?.label ?? id;
  const channelLabel = (id: string) => `${config.registry.channels.find((c) => c.id === id)?.label ?? id} (customer channel)`;
  const run = async (label: string, doctor: ((ctx: DoctorContext) => Promise<Finding[]>) | undefined, ctx: DoctorContext) => {
    if (!doctor) return [{ part: label, ok: true, said: 'configured (nothing to check against the platform)' }];
    return doctor(ctx).catch((err: unknown) => [{ part: label, ok: false, said: `the check itself failed (${reasonOf(err)})`, fix: 'Run the doctor again; if it stays, report it with this line.' }]);
  };
  for (const [id, m] of Object.entries(config.messengers)) {
    const channels = [...new Set([m.defaultChannel, ...config.queues.filter((q) => q.messenger === id).map((q) => q.channel)])];
    findings.push(...await run(messengerLabel(id), m.doctor, { channels, timeoutMs }));
  }
  for (const [id, c] of Object.entries(config.channels)) findings.push(...await run(channelLabel(id), c.doctor, { channels: [], timeoutMs }));
  return findings;
}

/** One line per finding (✓ or ✗), each fix under its problem, and a last line saying whether anything must be fixed. */
export function formatFindings(findings: readonly Finding[]): string {
  const lines = findings.flatMap((f) => [`${f.ok ? '✓' : '✗'} ${f.part}: ${f.said}`, ...(f.fix ? [`    fix: ${f.fix}`] : [])]);
  const bad = findings.filter((f) => !f.ok).length;
  lines.push(bad ? `${bad} thing${bad > 1 ? 's' : ''} to fix before threaddesk works fully.` : 'Everything checked is in order.');
  return lines.join('\n') + '\n';
}
