import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function found(): string | undefined {
  return CANDIDATES.find((p) => existsSync(p));
}

/**
 * Debian's Chromium for the browser tests, installed with apt when it is
 * missing (as `.ci/run` does). When it cannot be installed the test fails,
 * saying what to run: a browser test is never skipped.
 */
export function chromiumPath(): string {
  const have = found();
  if (have) return have;
  const apt = (...args: string[]) => execFileSync('apt-get', args, { stdio: 'pipe', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    try {
      apt('install', '-y', '-qq', 'chromium');
    } catch {
      // A fresh machine's package lists may be missing or stale.
      apt('update', '-qq');
      apt('install', '-y', '-qq', 'chromium');
    }
  } catch (err) {
    throw new Error(`The web chat browser tests need Chromium and could not install it (${(err as Error).message.split('\n')[0]}). `
      + 'Install it with `apt-get install -y chromium` as root (or run .ci/run), then run the tests again.');
  }
  const now = found();
  if (!now) throw new Error('apt-get installed chromium but no /usr/bin/chromium appeared; install it with `apt-get install -y chromium`.');
  return now;
}

/** Headless Chromium in which `*.test` names resolve to this machine, so a test can serve sites of several origins. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    // Root in CI containers cannot use Chromium's sandbox; the pages are the test's own.
    args: ['--no-sandbox', '--host-resolver-rules=MAP *.test 127.0.0.1'],
  });
}
