import type { z } from 'zod';

/** One problem line per zod issue: where it is, what is wrong, and the fix when one is known. */
export function zodProblems(error: z.ZodError, where: (path: string) => string, fix: (path: string) => string | undefined): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(top level)';
    const extra = fix(path);
    const msg = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.join(', ')}: check the spelling` : issue.message;
    return `${where(path)}: ${msg}.${extra ? ` ${extra}` : ''}`;
  });
}
