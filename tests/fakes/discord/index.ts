export { startDiscordFake, type CommandInput, type DiscordFake, type DiscordFakeOptions } from './start-discord-fake.js';
export type { ConnectionRecord, FakeChannel, FakeInteraction, FakeMessage, FakeUser, IdentifyRecord, ReactionRecord, RecordedCall } from './fake-types.js';
export { DEFAULT_ROUTE_LIMITS, type RouteLimit, type ScriptedLimit } from './rate-limits.js';
export { INTENTS } from './gateway-server.js';
export { nextSnowflake } from './snowflake.js';
