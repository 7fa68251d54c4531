/**
 * What the fake Echo platform holds: messages per channel and thread (a
 * message without a thread starts one, whose id is the message's id, as on
 * Slack), their edits and reactions, private messages (seen by one person
 * in a channel or thread) and direct messages, each per user.
 */
export interface EchoMessage {
  id: string;
  channel: string;
  /** The thread it is in; a thread's first message has `thread === id`. */
  thread: string;
  user: string;
  /** Posted by a bot (the desk's own posts carry the bot's user id as well). */
  bot: boolean;
  text: string;
  /** How often the text was edited. */
  edits: number;
  reactions: { user: string; emoji: string }[];
}

export interface EchoPrivate {
  /** Order among private messages and DMs together. */
  seq: number;
  user: string;
  channel?: string;
  thread?: string;
  text: string;
}

export interface EchoDirect {
  seq: number;
  user: string;
  text: string;
}

/** A call the bot made to the fake's API, in order. */
export interface EchoCall {
  method: string;
  body: Record<string, unknown>;
}

export class EchoState {
  readonly messages: EchoMessage[] = [];
  readonly privates: EchoPrivate[] = [];
  readonly dms: EchoDirect[] = [];
  readonly calls: EchoCall[] = [];
  private nextId = 1;
  private nextSeq = 1;

  /** Records a message only `user` sees, in a channel or thread. */
  addPrivate(p: Omit<EchoPrivate, 'seq'>): void { this.privates.push({ seq: this.nextSeq++, ...p }); }
  /** Records a direct message to `user`. */
  addDirect(d: Omit<EchoDirect, 'seq'>): void { this.dms.push({ seq: this.nextSeq++, ...d }); }

  /** Posts a message; without `thread` it opens a new thread. */
  post(m: { channel: string; thread?: string; user: string; bot: boolean; text: string }): EchoMessage {
    const id = `m${this.nextId++}`;
    const message: EchoMessage = { id, channel: m.channel, thread: m.thread ?? id, user: m.user, bot: m.bot, text: m.text, edits: 0, reactions: [] };
    this.messages.push(message);
    return message;
  }

  message(channel: string, id: string): EchoMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.id === id);
  }

  /** Messages of one thread, its first message included, oldest first. */
  thread(channel: string, thread: string): EchoMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.thread === thread);
  }
}
