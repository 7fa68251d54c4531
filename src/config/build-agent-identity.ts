import { PREFIX_VARIABLES, type AgentIdentity } from '../core/agent-identity.js';

/** `agent_identity` of a queue as the YAML writes it. */
export interface AgentIdentityEntry { show_name?: boolean | undefined; prefix?: string | undefined; company?: string | undefined }

/** A queue's `agent_identity`, checked: a prefix may use only {name}, {company} (when company is set) and {queue}. */
export function buildAgentIdentity(entry: AgentIdentityEntry, where: string, problems: string[]): AgentIdentity {
  const used = [...(entry.prefix ?? '').matchAll(/\{(\w*)\}/g)].map((m) => m[1]!);
  const unknown = used.filter((v) => !(PREFIX_VARIABLES as readonly string[]).includes(v));
  if (unknown.length) problems.push(`${where}: agent_identity.prefix uses {${unknown.join('}, {')}}, which is not a variable. Use {name} (the agent's display name), {company} and {queue}, e.g. "{name} · {company}".`);
  if (used.includes('company') && !entry.company) problems.push(`${where}: agent_identity.prefix uses {company} but agent_identity.company is not set. Add company: "Your company" or take {company} out.`);
  return { showName: entry.show_name ?? true, ...(entry.prefix ? { prefix: entry.prefix } : {}), ...(entry.company ? { company: entry.company } : {}) };
}
