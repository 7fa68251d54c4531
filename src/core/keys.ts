/** Store key names in one place, so repositories never disagree on them. */
export const keys = {
  conversation: (id: string) => `conv:${id}`,
  /** Atomic: the conversation id currently open for a customer on a channel account. */
  customerConversation: (channel: string, account: string, customerId: string) =>
    `conv-of:${channel}:${account}:${customerId}`,
  /** Thread → conversation, keyed by platform, workspace, channel and thread. */
  threadIndex: (platform: string, workspace: string, channel: string, thread: string) =>
    `thread:${platform}:${workspace}:${channel}:${thread}`,
  transcript: (convId: string) => `transcript:${convId}`,
  /** Atomic: the claim lease (value = seat id). */
  claim: (convId: string) => `claim:${convId}`,
  /** Atomic: dedupe marker of one platform delivery. */
  dedupe: (source: string, id: string) => `dedupe:${source}:${id}`,
  seat: (id: string) => `seat:${id}`,
  seatOfUser: (platform: string, userId: string) => `seat-of:${platform}:${userId}`,
  seatIndex: () => 'seats',
  /** The open conversations a seat holds (claims), for offboarding and capacity. */
  seatChats: (seatId: string) => `seat-chats:${seatId}`,
  /** Atomic: one audit entry per sequence number (the write that wins a number owns it). */
  auditEntry: (seq: number) => `audit:${seq}`,
  auditHead: () => 'audit-head',
  outboxLane: (lane: string) => `outbox:lane:${lane}`,
  outboxLanes: () => 'outbox:lanes',
  messageStatus: (channel: string, messageId: string) => `msg-status:${channel}:${messageId}`,
  /** Maps a channel message id we sent back to the agent message it came from. */
  sentMessage: (channel: string, messageId: string) => `sent:${channel}:${messageId}`,
  /** Sorted set: a queue's unclaimed open conversations, by when they started waiting (oldest first). */
  waiting: (queue: string) => `waiting:${queue}`,
  /** The seat that last held a customer's conversation, and when (sticky assignment). */
  lastSeat: (channel: string, account: string, customerId: string) => `last-seat:${channel}:${account}:${customerId}`,
  /** Atomic: when a seat was last given a conversation by assignment (round-robin's turn). */
  seatLastAssigned: (seatId: string) => `seat-assigned-at:${seatId}`,
  /**
   * Sorted set: the queue's seats that may be given a chat now (enabled, online, below their max),
   * in least-busy order (score: see assignment/seat-load.ts). A hint kept by every change of a seat's chats.
   */
  queueLoad: (queue: string) => `queue-load:${queue}`,
  /** Set: the seats that belong to a queue (assignment's candidates). */
  queueSeats: (queue: string) => `queue-seats:${queue}`,
  /** Set: a customer's tags (`vip`), kept across their conversations. */
  customerTags: (channel: string, account: string, customerId: string) => `customer-tags:${channel}:${account}:${customerId}`,
  /** Atomic, with a TTL: the channel greeted this customer on entry (WeChat `enter_session`); the intake sends no second welcome. */
  welcomed: (channel: string, account: string, customerId: string) => `welcomed:${channel}:${account}:${customerId}`,
  /** List: presence changes, `{seat, presence, at}` (who was online when). */
  presenceLog: () => 'presence-log',
  /** Atomic: per-conversation lane lease across replicas. */
  laneLease: (lane: string) => `lease:lane:${lane}`,
  /** Sorted set: every pending timer's id, scored by its due time (ms). */
  timers: () => 'timers',
  /** Atomic: one pending timer's record (JSON, see core/timers.ts). */
  timer: (id: string) => `timer:${id}`,
  /** Atomic: the short lease of the replica firing one timer. */
  timerLease: (id: string) => `lease:timer:${id}`,
  /** List: SLA events (breaches and who was told), JSON per line (see core/sla/sla-events.ts). */
  slaEvents: () => 'sla-events',
  /** Atomic: set once the supervisors were DMed about an urgent conversation (once per conversation). */
  slaUrgentSent: (convId: string) => `sla-urgent-sent:${convId}`,
} as const;
