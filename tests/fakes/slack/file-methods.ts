import { addMessage, type FileRecord } from './fake-state.js';
import { resolveChannel } from './conversations.js';
import { fail, type MethodContext, type MethodHandler } from './method-context.js';
import type { MultipartPart } from './parse-request-body.js';
import { jsonArg, stringArg } from './read-args.js';

const MIME_TYPES: Readonly<Record<string, string>> = {
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
};

/** The file object Slack returns from files.completeUploadExternal and puts on the sharing message. */
export function toFileObject(ctx: MethodContext, file: FileRecord): Record<string, unknown> {
  const ext = /\.([a-z0-9]+)$/i.exec(file.filename)?.[1]?.toLowerCase() ?? '';
  const created = Math.floor(Date.now() / 1000);
  return {
    id: file.id,
    created,
    timestamp: created,
    name: file.filename,
    title: file.title ?? file.filename,
    mimetype: MIME_TYPES[ext] ?? 'application/octet-stream',
    filetype: ext || 'binary',
    user: ctx.config.botUserId,
    user_team: ctx.config.teamId,
    size: file.bytes?.length ?? file.length,
    mode: 'hosted',
    is_external: false,
    url_private: `${ctx.origin}/files-pri/${ctx.config.teamId}-${file.id}/${file.filename}`,
    permalink: `https://${ctx.config.teamDomain}.slack.com/files/${ctx.config.botUserId}/${file.id}/${file.filename}`,
  };
}

/**
 * files.getUploadURLExternal → `{ok, upload_url, file_id}` (slack-api-ref
 * example). `filename` and `length` are required; `length` 0 is
 * `missing_argument` ("Typically only occurs when the length provided is 0").
 */
export const getUploadUrl: MethodHandler = (ctx, args) => {
  const filename = stringArg(args, 'filename');
  const lengthArg = stringArg(args, 'length');
  if (!filename || lengthArg === undefined) return fail('invalid_arguments');
  const length = Number(lengthArg);
  if (!Number.isInteger(length) || length < 0) return fail('invalid_arguments');
  if (length === 0) return fail('missing_argument');
  const id = ctx.nextId('F');
  ctx.state.files.push({
    id,
    filename,
    length,
    alt_text: stringArg(args, 'alt_text') ?? stringArg(args, 'alt_txt'),
    snippet_type: stringArg(args, 'snippet_type'),
    completed: false,
  });
  return { ok: true, upload_url: `${ctx.origin}/upload/v1/${id}`, file_id: id };
};

/**
 * Receives the bytes POSTed to an upload URL: raw bytes or a multipart form
 * ("This can be done by sending the raw bytes, or can be a multipart form";
 * WebClient sends multipart with the file in field `body`). Slack answers
 * HTTP 200 with a short text body. Returns undefined for an unknown URL.
 */
export function receiveUpload(
  ctx: MethodContext,
  fileId: string,
  raw: Buffer,
  parts: MultipartPart[],
): string | undefined {
  const file = ctx.state.files.find((f) => f.id === fileId);
  if (!file) return undefined;
  const part = parts.find((p) => p.filename !== undefined) ?? parts.find((p) => p.name === 'file' || p.name === 'body');
  file.bytes = part ? part.data : raw;
  return `OK - ${file.bytes.length}`;
}

/**
 * files.completeUploadExternal → `{ok, files:[…]}`. With `channel_id` (and
 * optionally `thread_ts`) the files are shared by a message from the app in
 * that channel or thread, its text the `initial_comment`. Errors from the
 * method reference: `file_not_found` ("Could not find the file from the upload
 * ticket", also used here when no bytes were uploaded), `channel_not_found`.
 */
export const completeUpload: MethodHandler = (ctx, args) => {
  const list = jsonArg(args, 'files');
  if (list.invalid || !Array.isArray(list.value) || list.value.length === 0) return fail('invalid_arguments');
  const channelArg = stringArg(args, 'channel_id') ?? stringArg(args, 'channels')?.split(',')[0];
  const channel = channelArg === undefined ? undefined : resolveChannel(ctx, channelArg);
  if (channelArg !== undefined && !channel) return fail('channel_not_found');
  const entries = list.value as Array<{ id?: unknown; title?: unknown }>;
  const records: FileRecord[] = [];
  for (const entry of entries) {
    const record = ctx.state.files.find((f) => f.id === entry?.id);
    if (!record || !record.bytes) return fail('file_not_found');
    records.push(record);
  }
  const threadTs = stringArg(args, 'thread_ts') || undefined;
  const comment = stringArg(args, 'initial_comment');
  records.forEach((record, i) => {
    const title = entries[i]?.title;
    if (typeof title === 'string') record.title = title;
    record.completed = true;
    record.channel = channel;
    record.thread_ts = threadTs;
    record.initial_comment = comment;
  });
  const files = records.map((r) => toFileObject(ctx, r));
  if (channel) {
    const blocks = jsonArg(args, 'blocks').value;
    addMessage(ctx.state, {
      channel,
      ts: ctx.nextTs(),
      thread_ts: threadTs,
      text: comment ?? '',
      blocks: comment === undefined && Array.isArray(blocks) ? blocks : undefined,
      files,
      user: ctx.config.botUserId,
      bot_id: ctx.config.botId,
      app_id: ctx.config.appId,
      team: ctx.config.teamId,
    });
  }
  return { ok: true, files };
};
