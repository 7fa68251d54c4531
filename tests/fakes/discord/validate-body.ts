/**
 * What Discord refuses in a message or command body, with its error shape:
 * `400 {code: 50035, message: 'Invalid Form Body', errors: {field: {_errors: [...]}}}`
 * (developers/reference.mdx "Error Messages"), or 50006 for an empty message.
 */
export interface DiscordError { status: number; code: number; message: string; errors?: Record<string, unknown> }

const formError = (field: string, code: string, message: string): DiscordError => ({
  status: 400, code: 50035, message: 'Invalid Form Body', errors: { [field]: { _errors: [{ code, message }] } },
});

interface Button { type?: number; style?: number; custom_id?: string; url?: string; label?: string }
interface Embed { title?: string; description?: string; fields?: { name?: string; value?: string }[]; footer?: { text?: string } }

/** A message create/edit body (developers/resources/message.mdx, components/reference.mdx). */
export function validateMessageBody(body: Record<string, unknown>, maxText: number, hasFiles: boolean, editing = false): DiscordError | undefined {
  const content = body.content;
  if (content !== undefined && content !== null && typeof content !== 'string') return formError('content', 'BASE_TYPE_STRING', 'Must be a string.');
  if (typeof content === 'string' && content.length > maxText) return formError('content', 'BASE_TYPE_MAX_LENGTH', `Must be ${maxText} or fewer in length.`);
  const embeds = (body.embeds ?? []) as Embed[];
  const components = (body.components ?? []) as { type?: number; components?: Button[] }[];
  if (!editing && !content && !embeds.length && !components.length && !hasFiles && !body.sticker_ids && !body.poll) {
    return { status: 400, code: 50006, message: 'Cannot send an empty message' };
  }
  if (embeds.length > 10) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    if ((e.title?.length ?? 0) > 256) return formError(`embeds.${i}.title`, 'BASE_TYPE_MAX_LENGTH', 'Must be 256 or fewer in length.');
    if ((e.description?.length ?? 0) > 4096) return formError(`embeds.${i}.description`, 'BASE_TYPE_MAX_LENGTH', 'Must be 4096 or fewer in length.');
    if ((e.fields?.length ?? 0) > 25) return formError(`embeds.${i}.fields`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    for (const [j, f] of (e.fields ?? []).entries()) {
      if (!f.name || f.name.length > 256) return formError(`embeds.${i}.fields.${j}.name`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 256 in length.');
      if (!f.value || f.value.length > 1024) return formError(`embeds.${i}.fields.${j}.value`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 1024 in length.');
      total += f.name.length + f.value.length;
    }
    if ((e.footer?.text?.length ?? 0) > 2048) return formError(`embeds.${i}.footer.text`, 'BASE_TYPE_MAX_LENGTH', 'Must be 2048 or fewer in length.');
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0);
  }
  if (total > 6000) return formError('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  if (components.length > 5) return formError('components', 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  const ids = new Set<string>();
  for (const [i, row] of components.entries()) {
    if (row.type !== 1) return formError(`components.${i}.type`, 'UNION_TYPE_CHOICES', 'Value of field "type" must be one of (1,).');
    const buttons = row.components ?? [];
    if (buttons.length < 1 || buttons.length > 5) return formError(`components.${i}.components`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
    for (const [j, b] of buttons.entries()) {
      const at = `components.${i}.components.${j}`;
      if (b.type !== 2) return formError(`${at}.type`, 'UNION_TYPE_CHOICES', 'Only buttons are supported by this fake.');
      if ((b.label?.length ?? 0) > 80) return formError(`${at}.label`, 'BASE_TYPE_MAX_LENGTH', 'Must be 80 or fewer in length.');
      if (b.style === 5) {
        if (!b.url || b.custom_id) return formError(`${at}.url`, 'BUTTON_COMPONENT_URL_REQUIRED', 'A link button needs a url and no custom_id.');
        continue;
      }
      if (!b.style || b.style < 1 || b.style > 4) return formError(`${at}.style`, 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6}.');
      if (!b.custom_id || b.custom_id.length > 100) return formError(`${at}.custom_id`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      if (ids.has(b.custom_id)) return formError(`${at}.custom_id`, 'COMPONENT_CUSTOM_ID_DUPLICATED', 'Component custom id cannot be duplicated');
      ids.add(b.custom_id);
    }
  }
  return undefined;
}

interface CommandOption { type?: number; name?: string; description?: string; description_localizations?: Record<string, unknown> | null; required?: boolean; choices?: { name?: string; value?: unknown }[]; options?: CommandOption[]; min_value?: number; max_value?: number; max_length?: number }

/** developers/reference "Locales". */
const DISCORD_LOCALES: ReadonlySet<string> = new Set(['id', 'da', 'de', 'en-GB', 'en-US', 'es-ES', 'es-419', 'fr', 'hr', 'it', 'lt', 'hu', 'nl', 'no', 'pl', 'pt-BR', 'ro', 'fi', 'sv-SE', 'vi', 'tr', 'cs', 'el', 'bg', 'ru', 'uk', 'hi', 'th', 'zh-CN', 'ja', 'zh-TW', 'ko']);

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** A bulk overwrite body (developers/interactions/application-commands.mdx). */
export function validateCommands(body: unknown): DiscordError | undefined {
  if (!Array.isArray(body)) return formError('_root', 'BASE_TYPE_ARRAY', 'Must be an array.');
  if (body.length > 100) return formError('_root', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
  const names = new Set<string>();
  for (const [i, c] of (body as CommandOption[]).entries()) {
    const problem = checkNamed(c, `${i}`) ?? checkOptions(c.options ?? [], `${i}.options`);
    if (problem) return problem;
    if (names.has(c.name!)) return { status: 400, code: 50035, message: 'Invalid Form Body', errors: { [`${i}.name`]: { _errors: [{ code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: `Application command names must be unique: ${c.name}` }] } } };
    names.add(c.name!);
  }
  return undefined;
}

function checkNamed(o: CommandOption, at: string): DiscordError | undefined {
  if (!o.name || !NAME.test(o.name) || o.name !== o.name.toLowerCase()) return formError(`${at}.name`, 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
  if (!o.description || o.description.length > 100) return formError(`${at}.description`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  // Keys are Discord locales; each value 1–100 characters like the description itself.
  for (const [locale, text] of Object.entries(o.description_localizations ?? {})) {
    if (!DISCORD_LOCALES.has(locale)) return formError(`${at}.description_localizations.${locale}`, 'BASE_TYPE_CHOICES', `Value must be one of ${[...DISCORD_LOCALES].join(', ')}.`);
    if (typeof text !== 'string' || text.length < 1 || text.length > 100) return formError(`${at}.description_localizations.${locale}`, 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
  }
  return undefined;
}

function checkOptions(options: CommandOption[], at: string): DiscordError | undefined {
  if (options.length > 25) return formError(at, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  let optionalSeen = false;
  for (const [i, o] of options.entries()) {
    const here = `${at}.${i}`;
    const problem = checkNamed(o, here);
    if (problem) return problem;
    if (!o.type || o.type < 1 || o.type > 11) return formError(`${here}.type`, 'BASE_TYPE_CHOICES', 'Value must be one of 1–11.');
    if (o.type === 1 || o.type === 2) {
      const nested = checkOptions(o.options ?? [], `${here}.options`);
      if (nested) return nested;
      continue;
    }
    if (o.required && optionalSeen) return formError(`${here}.required`, 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
    if (!o.required) optionalSeen = true;
    if ((o.choices?.length ?? 0) > 25) return formError(`${here}.choices`, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    if (o.min_value !== undefined && o.max_value !== undefined && o.min_value > o.max_value) return formError(`${here}.min_value`, 'NUMBER_TYPE_MAX', 'min_value must not exceed max_value');
  }
  return undefined;
}
