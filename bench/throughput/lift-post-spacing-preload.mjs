// Loaded into the bot's own process with `--import`, before dist/main.js runs
// (the bot runs compiled, as `npm start` does). It sets 'slack:post' minTimeMs
// to 0 on the very SLACK_BUDGETS object the app reads: Node resolves this
// import and the app's to the same file URL, hence one module instance. The
// GCRA gate reads minTimeMs on every post, so no limiter exists yet that kept
// the old value. Plain JavaScript, because it must load the compiled module
// (a TypeScript preload through tsx would load src/, a second copy). Prints
// nothing: the bot's stdout is its JSON log. Whether it worked shows in the
// results (`postGapMs` far below 1,020 ms).
import { SLACK_BUDGETS } from '../../dist/bot/slack/budgets.js';

const post = SLACK_BUDGETS['slack:post'];
if (!post) throw new Error("SLACK_BUDGETS has no 'slack:post' entry: src/bot/slack/budgets.ts changed, update the bench");
post.minTimeMs = 0;
