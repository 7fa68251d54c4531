import type { Conversation } from '../model.js';

/**
 * The words that opt a customer out of templates: STOP, and 退订
 * ("unsubscribe"), exactly, whatever their case or width (ＳＴＯＰ typed on a
 * Chinese keyboard is STOP).
 */
const OPT_OUT_WORDS = new Set(['STOP', '退订']);

/** Whether a customer's message is an opt-out word and nothing else. */
export function isOptOut(text: string): boolean {
  return OPT_OUT_WORDS.has(text.normalize('NFKC').trim().toUpperCase());
}

/**
 * The conversation after a customer message: opted out (`optedOutAt`) when
 * the message is STOP or 退订, opted back in by any other message, since
 * writing again is the customer asking to be answered. The desk tells the
 * customer nothing either way; the header shows it.
 */
export function withOptOut(conv: Conversation, text: string, now: number): Conversation {
  if (isOptOut(text)) return conv.optedOutAt !== undefined ? conv : { ...conv, optedOutAt: now };
  if (conv.optedOutAt === undefined) return conv;
  const { optedOutAt: _writesAgain, ...rest } = conv;
  return rest;
}

/**
 * The channel said the customer stopped such messages (WhatsApp 131050):
 * marked like a STOP, until they write again. Undefined when the
 * conversation is gone; the caller refreshes the header.
 */
export function markOptedOut(conversations: { update(id: string, change: (c: Conversation) => Conversation | undefined): Promise<Conversation | undefined> }, convId: string, now: number): Promise<Conversation | undefined> {
  return conversations.update(convId, (c) => (c.optedOutAt !== undefined ? c : { ...c, optedOutAt: now }));
}
