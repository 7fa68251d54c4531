import type { PrivateView } from '../core/overview/private-view.js';
import type { TemplateInfo } from '../core/templates/template-list.js';
import { t } from '../i18n/format.js';

type TemplatesView = Extract<PrivateView, { kind: 'templates' }>;

/** One template as a picker lists it: `order_update (en) · 1 value`. */
export function templateOptionText(lang: string, tpl: TemplateInfo): string {
  return t(lang, 'templates.option', { name: tpl.name, language: tpl.language, values: tpl.params });
}

/** The line to type for a template: its values as numbered blanks (`!template order_update en <1>`). */
export function templateLine(tpl: Pick<TemplateInfo, 'name' | 'language' | 'params'>): string {
  return ['!template', tpl.name, tpl.language, ...Array.from({ length: tpl.params }, (_, i) => `<${i + 1}>`)].join(' ');
}

/** The picker as plain text, for messengers that render no select: each template with the line to type. */
export function templatesViewText(view: TemplatesView): string {
  const lines = view.templates.map((tpl) => `• ${templateOptionText(view.lang, tpl)}: \`${templateLine(tpl)}\``);
  return [t(view.lang, 'templates.pick_title'), ...lines].join('\n');
}
