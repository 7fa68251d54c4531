import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';

/**
 * One problem line per zod issue: where it is, what is wrong, and the fix when
 * one is known; an unknown key names the known key it is closest to
 * (`knownKeys`: the keys the object at that path takes).
 */
export function zodProblems(error: z.ZodError, where: (path: string) => string, fix: (path: string) => string | undefined, knownKeys: (path: readonly PropertyKey[]) => string[] = () => []): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.') || '(top level)';
    const extra = fix(path);
    const msg = issue.code === 'unrecognized_keys'
      ? `unknown key(s) ${issue.keys.map((k) => `${k}${didYouMean(k, knownKeys(issue.path))}`).join(', ')}: check the spelling`
      : issue.message;
    return `${where(path)}: ${msg}.${extra ? ` ${extra}` : ''}`;
  });
}
