import {
  invalidParameterError,
  requiredParameterError,
  type GraphErrorSpec,
} from './graph-errors.js';
import { toWaId } from './customer-windows.js';

/**
 * Checks a `POST /<phone-number-id>/messages` body the way the Cloud API does
 * and normalises it for recording.
 *
 * Body (Meta "Text messages" and "Send messages", platform-facts.md §1 [W5]):
 *   {messaging_product:'whatsapp', recipient_type?:'individual', to,
 *    type?:'text' (the default), text:{body ≤ 4096 characters, preview_url?},
 *    context?:{message_id}}
 * Templates: `template:{name, language:{code}, components?}` [W8]. Media:
 * `<type>:{id} | {link}`. Marking an inbound message read uses the same
 * endpoint with `{messaging_product, status:'read', message_id}`.
 */

/** Types the fake accepts in `type`. */
const KNOWN_TYPES = new Set([
  'text',
  'template',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'reaction',
  'interactive',
  'location',
  'contacts',
]);
const MEDIA_TYPES = new Set(['image', 'document', 'audio', 'video', 'sticker']);

/** Meta counts the 4096 limit in characters; the fake counts Unicode code points. */
export const TEXT_BODY_LIMIT = 4096;

/** A send the fake accepted for processing. */
export interface ValidSend {
  kind: 'send';
  to: string;
  waId: string;
  type: string;
  text?: string;
  context?: { message_id: string };
  template?: { name: string; language: { code: string } };
  body: Record<string, unknown>;
}

/** A "mark as read" call. */
export interface ValidMarkRead {
  kind: 'read';
  messageId: string;
}

export type SendValidation = ValidSend | ValidMarkRead | { kind: 'error'; error: GraphErrorSpec };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(error: GraphErrorSpec): SendValidation {
  return { kind: 'error', error };
}

/** Validates a parsed request body; `body` is whatever JSON.parse returned. */
export function validateSendBody(body: unknown): SendValidation {
  if (!isRecord(body)) return fail(invalidParameterError('Request body must be a JSON object.'));
  if (body.messaging_product === undefined) return fail(requiredParameterError('messaging_product'));
  if (body.messaging_product !== 'whatsapp') {
    return fail(invalidParameterError("Param messaging_product must be 'whatsapp'."));
  }
  if (body.status !== undefined) {
    if (body.status === 'read' && typeof body.message_id === 'string' && body.message_id !== '') {
      return { kind: 'read', messageId: body.message_id };
    }
    return fail(invalidParameterError("Param status must be 'read' together with message_id."));
  }
  if (body.to === undefined || body.to === '') return fail(requiredParameterError('to'));
  if (typeof body.to !== 'string' || !/^\d{5,15}$/.test(toWaId(body.to))) {
    return fail(invalidParameterError('Param to must be a phone number in international format.'));
  }
  if (body.recipient_type !== undefined && body.recipient_type !== 'individual') {
    return fail(invalidParameterError("Param recipient_type must be 'individual'."));
  }
  const type = body.type ?? 'text';
  if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
    return fail(invalidParameterError(`Param type must be one of {${[...KNOWN_TYPES].join(', ')}}.`));
  }
  const context = body.context;
  if (context !== undefined && !(isRecord(context) && typeof context.message_id === 'string')) {
    return fail(invalidParameterError("Param context['message_id'] must be a message id."));
  }
  const base = {
    kind: 'send' as const,
    to: body.to,
    waId: toWaId(body.to),
    type,
    body,
    ...(context === undefined ? {} : { context: { message_id: (context as { message_id: string }).message_id } }),
  };
  return validateContent(type, body, base);
}

function validateContent(type: string, body: Record<string, unknown>, base: ValidSend): SendValidation {
  const content = body[type];
  if (type === 'text') {
    if (!isRecord(content) || typeof content.body !== 'string' || content.body === '') {
      return fail(invalidParameterError("Param text['body'] is required."));
    }
    if ([...content.body].length > TEXT_BODY_LIMIT) {
      return fail(invalidParameterError(`Param text['body'] must be at most ${TEXT_BODY_LIMIT} characters long.`));
    }
    return { ...base, text: content.body };
  }
  if (type === 'template') {
    const missing = invalidParameterError("Param template requires 'name' and 'language.code'.");
    if (!isRecord(content) || typeof content.name !== 'string') return fail(missing);
    const language = content.language;
    if (!isRecord(language) || typeof language.code !== 'string') return fail(missing);
    return { ...base, template: { name: content.name, language: { code: language.code } } };
  }
  if (MEDIA_TYPES.has(type)) {
    if (!isRecord(content) || (typeof content.id !== 'string' && typeof content.link !== 'string')) {
      return fail(invalidParameterError(`Param ${type} requires 'id' or 'link'.`));
    }
    return base;
  }
  if (!isRecord(content)) return fail(invalidParameterError(`Param ${type} is required.`));
  return base;
}
