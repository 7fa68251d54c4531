import { budgetsOf, channelTraitsOf } from '../../src/config/registry.js';
import { MODULES } from '../../src/modules.js';

/** The shipped channels' labels and reply windows, as the app hands them to the core. */
export const CHANNEL_TRAITS = channelTraitsOf(MODULES);
/** The shipped modules' send budgets, as the app hands them to the limiters. */
export const BUDGETS = budgetsOf(MODULES);
