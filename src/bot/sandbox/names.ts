/** The sandbox messenger's id: in seat ids (`sandbox:agent` in BOOTSTRAP_ADMINS), thread refs and outbox items. */
export const SANDBOX = 'sandbox';

/** Where the page lives on the bot's one HTTP server. */
export const SANDBOX_PATH = '/sandbox/';

/** The page's one person: the seat bound to `sandbox:agent`, which the demo makes a bootstrap admin. */
export const SANDBOX_AGENT = 'agent';
