import { liftPostSpacing } from '../latency/lift-post-spacing.js';

/**
 * Loaded into the bot's own process with `--import` (after `--import tsx`,
 * before src/main.ts runs), so it sets `'slack:post'` minTimeMs to 0 on the
 * same SLACK_BUDGETS object the app reads: tsx resolves this import and the
 * app's to the same file URL, hence the same module instance. The GCRA gate
 * reads minTimeMs on every post, so no limiter exists yet that kept the old
 * value. Prints nothing: the bot's stdout is its JSON log. Whether it worked
 * shows in the results (`postGapMs` far below 1,020 ms).
 */
liftPostSpacing();
