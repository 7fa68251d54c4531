import { GatewayIntentBits, PermissionFlagsBits } from 'discord.js';

/**
 * The gateway intents the bot identifies with, each with why. Message Content
 * is privileged: turn it on under the Developer Portal's Bot page, or the
 * gateway closes with 4014.
 */
export const DISCORD_INTENTS = {
  Guilds: 'threads and channels of the server (thread create/update)',
  GuildMessages: 'agents\' replies in conversation threads (MESSAGE_CREATE)',
  MessageContent: 'the text of those replies (privileged: enable "Message Content Intent" on the Bot page)',
  GuildMessageTyping: 'agents typing in a conversation thread (TYPING_START), shown to web chat visitors; not privileged',
} as const satisfies Partial<Record<keyof typeof GatewayIntentBits, string>>;

/** The intents as the gateway takes them. */
export const GATEWAY_INTENTS: GatewayIntentBits[] = Object.keys(DISCORD_INTENTS).map((name) => GatewayIntentBits[name as keyof typeof DISCORD_INTENTS]);

/** The channel permissions the bot uses, each with the REST call that needs it. */
export const DISCORD_PERMISSIONS = {
  ViewChannel: 'see the queue channel',
  SendMessages: 'post a header card per conversation (POST /channels/{id}/messages)',
  CreatePublicThreads: 'open the conversation\'s thread on its header card (POST …/messages/{id}/threads)',
  SendMessagesInThreads: 'post customer messages in the thread',
  ReadMessageHistory: 'catch up on replies written while the bot was away (GET /channels/{id}/messages)',
  EmbedLinks: 'the header card\'s embed',
  AttachFiles: 'customers\' photos and documents',
  AddReactions: 'the ✓ on a reply the customer\'s channel accepted',
} as const satisfies Partial<Record<keyof typeof PermissionFlagsBits, string>>;

/** The permissions integer of the invite URL: the bits of DISCORD_PERMISSIONS. */
export function permissionsInteger(): string {
  return Object.keys(DISCORD_PERMISSIONS).reduce((sum, name) => sum | PermissionFlagsBits[name as keyof typeof DISCORD_PERMISSIONS], 0n).toString();
}

/** The URL a server admin opens to add the bot, with its slash commands and permissions. */
export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot+applications.commands&permissions=${permissionsInteger()}`;
}

/** `threaddesk setup discord`: the intents, permissions and invite URL. */
export function printDiscordSetup(env: Readonly<Record<string, string | undefined>>): string {
  const app = env.DISCORD_APPLICATION_ID ?? '<DISCORD_APPLICATION_ID>';
  return [
    'Privileged intent to enable (Developer Portal → your app → Bot → Privileged Gateway Intents): Message Content Intent.',
    'Gateway intents the bot uses:',
    ...Object.entries(DISCORD_INTENTS).map(([k, v]) => `  ${k}: ${v}`),
    `Permissions (integer ${permissionsInteger()}):`,
    ...Object.entries(DISCORD_PERMISSIONS).map(([k, v]) => `  ${k}: ${v}`),
    'Invite URL (scopes bot and applications.commands):',
    `  ${inviteUrl(app)}`,
  ].join('\n') + '\n';
}
