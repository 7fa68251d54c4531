import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FIXTURE = 'tests/architecture/fixtures/lint-violations.ts';

interface Diagnostic {
  code: string;
  filename: string;
  labels: { span: { line: number } }[];
}

/**
 * `npm run lint` runs on src/ inside `npm test`; this proves the configuration it uses
 * (.oxlintrc.json, type-aware through oxlint-tsgolint) really reports each rule the
 * project relies on, so a green lint cannot come from rules that silently stopped running.
 */
describe('type-aware lint configuration', () => {
  it('reports every deliberate violation of the fixture, each with its rule', async () => {
    const bin = fileURLToPath(new URL('../../node_modules/.bin/oxlint', import.meta.url));
    const run = await promisify(execFile)(bin, ['-f', 'json', FIXTURE], { cwd: ROOT }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );
    const found = (JSON.parse(run.stdout) as { diagnostics: Diagnostic[] }).diagnostics
      .map((d) => `${d.labels[0]?.span.line} ${d.code}`)
      .sort();
    expect(run.code).toBe(1);
    expect(found).toEqual([
      '10 typescript(no-floating-promises)',
      '15 typescript(no-misused-promises)',
      '20 typescript(switch-exhaustiveness-check)',
      '29 threaddesk(no-type-escape)',
      '29 threaddesk(no-type-escape)',
    ]);
  }, 60_000);
});
