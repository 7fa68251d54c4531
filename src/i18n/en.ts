import { enFailures } from './en/failures.js';
import { enThread } from './en/thread.js';
import { enAnswers } from './en/answers.js';
import { enCommands } from './en/commands.js';
import { enUsage } from './en/usage.js';
import { enReplies } from './en/replies.js';

/**
 * English: the source catalogue. Its keys are the message keys and its
 * placeholders the variables every other language must use (the catalogue
 * test compares them). ICU MessageFormat: `{name}`, `{n, plural, one {…} other {…}}`,
 * `{x, select, yes {…} other {…}}`; a `'` before `{` quotes it.
 *
 * The messages live in `en/` by area; this file joins them.
 */
export const en = {
  ...enFailures,
  ...enThread,
  ...enAnswers,
  ...enCommands,
  ...enUsage,
  ...enReplies,
} as const;

/** The shape every catalogue has: the same keys as `en`, each a message string. */
export type Catalogue = { readonly [K in keyof typeof en]: string };
