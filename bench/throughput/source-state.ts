import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Which code the bot ran: the bot is started from the working tree, so the
 * commit alone does not say it when src/ has uncommitted changes (listed).
 * Null fields when git is not available.
 */
export function sourceState(): { commit: string | null; uncommittedSrcFiles: string[] | null } {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const commit = git('rev-parse', 'HEAD').trim();
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).map((l) => l.slice(3));
    return { commit, uncommittedSrcFiles: changed };
  } catch {
    return { commit: null, uncommittedSrcFiles: null };
  }
}
