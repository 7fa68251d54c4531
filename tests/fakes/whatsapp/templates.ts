import type { GraphErrorSpec } from './graph-errors.js';

/** A message template as `GET /{waba-id}/message_templates` lists it (Meta "Template management"). */
export interface FakeTemplate {
  id: string;
  name: string;
  language: string;
  status: 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';
  category: 'UTILITY' | 'MARKETING' | 'AUTHENTICATION';
  components: { type: 'HEADER' | 'BODY' | 'FOOTER' | 'BUTTONS'; text?: string }[];
}

/** What a test writes: the body text carries the `{{1}}` placeholders. */
export interface TemplateSpec {
  name: string;
  language: string;
  body: string;
  status?: FakeTemplate['status'];
  category?: FakeTemplate['category'];
}

/**
 * 132001 as a send answers it when no approved template has that name in that
 * language (wording from Meta's error-codes table as mirrored by
 * dualhook.com: "Template name does not exist in the translation").
 */
export function noSuchTemplateError(name: string, language: string): GraphErrorSpec {
  return { status: 400, code: 132001, message: '(#132001) Template name does not exist in the translation', details: `template name (${name}) does not exist in ${language}` };
}

/** 132000: the body's values do not match its placeholders (details wording as dualhook.com quotes it). */
export function parameterCountError(given: number, expected: number): GraphErrorSpec {
  return {
    status: 400, code: 132000, message: '(#132000) Number of parameters does not match the expected number of params',
    details: `body: number of localizable_params (${given}) does not match the expected number of params (${expected})`,
  };
}

/** 131050 in a `failed` status: the recipient stopped marketing messages from this business (dotdigital's copy of Meta's table). */
export const STOPPED_MARKETING = {
  code: 131050,
  title: 'User has stopped receipt of marketing messages.',
  details: 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
} as const;

/** The fake's templates: listed with cursor paging, and the check of a template send. */
export class TemplateBook {
  readonly templates: FakeTemplate[] = [];
  private seq = 0;

  add(spec: TemplateSpec): FakeTemplate {
    const t: FakeTemplate = {
      id: String(1_200_000_000_000 + (this.seq += 1)), name: spec.name, language: spec.language, status: spec.status ?? 'APPROVED',
      category: spec.category ?? 'UTILITY', components: [{ type: 'BODY', text: spec.body }],
    };
    this.templates.push(t);
    return t;
  }

  /**
   * One page: `{data, paging:{cursors:{before, after}, next?}}`, `next` the URL of the
   * following page (absent on the last), as Graph pages its edges. Cursors are opaque.
   */
  page(pageUrl: URL): Record<string, unknown> {
    const limit = Math.min(Math.max(Number(pageUrl.searchParams.get('limit') ?? 25) || 25, 1), 100);
    const start = decodeCursor(pageUrl.searchParams.get('after'));
    const data = this.templates.slice(start, start + limit);
    const end = start + data.length;
    const next = new URL(pageUrl);
    next.searchParams.set('after', encodeCursor(end));
    return {
      data,
      paging: {
        cursors: { before: encodeCursor(start), after: encodeCursor(end) },
        ...(end < this.templates.length ? { next: next.toString() } : {}),
      },
    };
  }

  /** The error Graph gives a template send (name, language, body value count), or undefined when it passes. */
  check(template: Record<string, unknown>): GraphErrorSpec | undefined {
    const name = String(template.name);
    const language = String((template.language as { code?: unknown } | undefined)?.code);
    const t = this.templates.find((x) => x.name === name && x.language === language && x.status === 'APPROVED');
    if (!t) return noSuchTemplateError(name, language);
    const body = t.components.find((c) => c.type === 'BODY')?.text ?? '';
    const expected = new Set([...body.matchAll(/\{\{\s*([^{}\s]+)\s*\}\}/g)].map((m) => m[1])).size;
    const components = Array.isArray(template.components) ? (template.components as { type?: string; parameters?: unknown[] }[]) : [];
    const given = components.filter((c) => c.type?.toLowerCase() === 'body').reduce((n, c) => n + (c.parameters?.length ?? 0), 0);
    return given === expected ? undefined : parameterCountError(given, expected);
  }

  clear(): void { this.templates.length = 0; }
}

const encodeCursor = (n: number) => Buffer.from(`idx:${n}`).toString('base64url');
function decodeCursor(c: string | null): number {
  if (!c) return 0;
  const m = /^idx:(\d+)$/.exec(Buffer.from(c, 'base64url').toString());
  return m ? Number(m[1]) : 0;
}
