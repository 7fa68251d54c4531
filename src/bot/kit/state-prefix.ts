/**
 * Where each messenger's own state lives in the shared store. Telegram's keys
 * were `telegram-topic:…`, `telegram-header:…` and `telegram-handle:…` before
 * adapters had a namespace, and Discord's `discord:…`: keeping those prefixes
 * keeps an upgraded install's topic states, @handles and thread registry.
 */
export const STATE_PREFIX = { slack: 'slack:', discord: 'discord:', telegram: 'telegram-' } as const;
