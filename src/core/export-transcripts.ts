import type { Conversation, Seat } from './model.js';
import type { ListPort } from './ports.js';
import type { Conversations } from './conversations.js';
import { keys } from './keys.js';
import { can } from './permissions.js';

/** Where an export is written: a file the messenger then sends (src/runtime/export-files.ts). */
export interface ExportSink {
  write(chunk: string): Promise<void>;
  finish(): Promise<{ path: string; bytes: number }>;
  abort(): Promise<void>;
}

export interface ExportRange {
  from: number;
  to: number;
  queue?: string;
}

/** What an export reads. */
export interface ExportPorts {
  /** The list of every conversation in creation order (`conv-index`) and the transcripts' lengths. */
  lists: Pick<ListPort, 'length' | 'range'>;
  conversations: Pick<Conversations, 'get' | 'transcript'>;
  departmentOf: (conv: Conversation) => string;
}

const HEADER = 'conversation_id,queue,channel,customer_id,customer_name,at,direction,author,text\n';
const PAGE = 500;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * Streams the transcripts of every conversation the seat may export (its
 * departments' queues; admins all) with a message in the range into `sink`,
 * page by page, so memory stays flat however large the export.
 */
export async function exportTranscripts(
  d: ExportPorts,
  seat: Seat,
  range: ExportRange,
  sink: ExportSink,
  onProgress: (rows: number) => Promise<void> = async () => {},
): Promise<{ rows: number; conversations: number }> {
  await sink.write(HEADER);
  let rows = 0;
  let conversations = 0;
  let nextReport = 10_000;
  const indexLength = await d.lists.length('conv-index');
  for (let start = 0; start < indexLength; start += PAGE) {
    const ids = (await d.lists.range('conv-index', start, start + PAGE - 1)).map((r) => (JSON.parse(r) as { id: string }).id);
    for (const id of ids) {
      const conv = await d.conversations.get(id);
      if (!conv || (range.queue && conv.queue !== range.queue)) continue;
      if (!can(seat, 'data.export', { department: d.departmentOf(conv) })) continue;
      let wrote = false;
      const total = await d.lists.length(keys.transcript(id));
      for (let at = 0; at < total; at += PAGE) {
        const lines: string[] = [];
        for (const e of await d.conversations.transcript(id, at, at + PAGE - 1)) {
          if (e.at < range.from || e.at >= range.to) continue;
          lines.push([conv.id, conv.queue, conv.channel, conv.customer.id, conv.customer.name ?? '', new Date(e.at).toISOString(), e.direction, e.author ?? '', e.text].map(csvCell).join(',') + '\n');
        }
        if (lines.length) { await sink.write(lines.join('')); rows += lines.length; wrote = true; }
        if (rows >= nextReport) { await onProgress(rows); nextReport += 10_000; }
      }
      if (wrote) conversations += 1;
    }
  }
  return { rows, conversations };
}
