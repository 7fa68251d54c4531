import type { z } from 'zod';
import type { buttonContent, interactiveContent } from './message-content.js';

/** How many answers of a flow are shown; the rest are counted. */
const MAX_FLOW_FIELDS = 50;

/**
 * A customer's answer to an interactive message as thread text: the button
 * or list row they chose (title and description), or a WhatsApp Flow's
 * answers as `key: value` lines. Undefined when the reply is of a kind this
 * desk does not know.
 */
export function renderInteractive(i: z.infer<typeof interactiveContent>): string | undefined {
  if (i.button_reply) return `🔘 Chose “${i.button_reply.title}”`;
  if (i.list_reply) return `📋 Chose “${i.list_reply.title}”${i.list_reply.description?.trim() ? ` — ${i.list_reply.description.trim()}` : ''}`;
  if (i.nfm_reply) return renderFlowReply(i.nfm_reply);
  return undefined;
}

/** A quick-reply button of a template, pressed. */
export function renderButton(b: z.infer<typeof buttonContent>): string {
  return `🔘 Pressed “${b.text}”`;
}

function renderFlowReply(r: NonNullable<z.infer<typeof interactiveContent>['nfm_reply']>): string {
  const head = `📝 Form answers${r.body?.trim() ? ` (${r.body.trim()})` : ''}:`;
  let answers: unknown;
  try { answers = JSON.parse(r.response_json); } catch { answers = undefined; }
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) return `${head}\n(the answers could not be read)`;
  // flow_token is the business's own correlation value, not an answer.
  const fields = Object.entries(answers).filter(([key]) => key !== 'flow_token');
  const lines = fields.slice(0, MAX_FLOW_FIELDS).map(([key, value]) => `${key}: ${valueText(value)}`);
  if (fields.length > MAX_FLOW_FIELDS) lines.push(`(${fields.length - MAX_FLOW_FIELDS} more answers not shown)`);
  return [head, ...(lines.length ? lines : ['(no answers)'])].join('\n');
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null)) return v.map(String).join(', ');
  try {
    return JSON.stringify(v);
  } catch {
    // A signed body may nest deeper than the stack allows: say so rather than fail the webhook.
    return '(nested too deeply to show)';
  }
}
