import type { MethodContext } from './method-context.js';
import { jsonArg, stringArg } from './read-args.js';

/** Validated message content from chat.postMessage / chat.update / chat.postEphemeral arguments. */
export interface MessageContent {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: { event_type: string; event_payload?: unknown };
  /** A problem Slack reports beside `ok: true` (`warning` and `response_metadata.warnings`). */
  warning?: string;
}

/** "Event types can contain letters, numbers, underscores, and hyphens, but not periods or other punctuation." */
const EVENT_TYPE = /^[A-Za-z0-9_-]+$/;

/**
 * Validates text, blocks, attachments and metadata, returning Slack's error
 * code on failure. Codes from the method references (docs.slack.dev
 * /reference/methods/chat.postMessage, slack-ruby/slack-api-ref):
 * `no_text`, `msg_too_long`, `invalid_blocks_format` ("not a valid JSON
 * object"), `invalid_blocks`, `invalid_metadata_format` (not a JSON object),
 * `invalid_metadata_schema` (no string `event_type`, or an `event_payload`
 * that is not an object). An `event_type` with other characters than letters,
 * digits, `_` and `-` is not an error: the message is posted without its
 * metadata and the answer carries an `invalid_metadata_schema` warning
 * (docs.slack.dev/messaging/message-metadata "Defining metadata").
 */
export function readMessageContent(
  ctx: MethodContext,
  args: Record<string, unknown>,
  requireContent: boolean,
): MessageContent | { error: string } {
  const text = stringArg(args, 'text') ?? '';
  const blocks = jsonArg(args, 'blocks');
  if (blocks.invalid || (blocks.value !== undefined && !Array.isArray(blocks.value))) {
    return { error: 'invalid_blocks_format' };
  }
  const blockList = blocks.value as unknown[] | undefined;
  if (blockList?.some((b) => typeof (b as { type?: unknown } | null)?.type !== 'string')) {
    return { error: 'invalid_blocks' };
  }
  const attachments = jsonArg(args, 'attachments');
  if (attachments.invalid || (attachments.value !== undefined && !Array.isArray(attachments.value))) {
    return { error: 'invalid_attachments' };
  }
  const attachmentList = attachments.value as unknown[] | undefined;
  if (requireContent && text === '' && !blockList?.length && !attachmentList?.length) {
    return { error: 'no_text' };
  }
  if (text.length > ctx.config.maxTextLength) return { error: 'msg_too_long' };
  const metadata = jsonArg(args, 'metadata');
  if (metadata.invalid || (metadata.value !== undefined && !isObject(metadata.value))) return { error: 'invalid_metadata_format' };
  if (metadata.value !== undefined) {
    const value = metadata.value as { event_type?: unknown; event_payload?: unknown };
    if (typeof value.event_type !== 'string' || !isObject(value.event_payload)) return { error: 'invalid_metadata_schema' };
    if (!EVENT_TYPE.test(value.event_type)) return { text, blocks: blockList, attachments: attachmentList, warning: 'invalid_metadata_schema' };
    return {
      text,
      blocks: blockList,
      attachments: attachmentList,
      metadata: { event_type: value.event_type, event_payload: value.event_payload },
    };
  }
  return { text, blocks: blockList, attachments: attachmentList };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
