import { randomBytes } from 'node:crypto';

/**
 * Service states (path/94698, platform-facts.md §2): 0 untreated, 1 smart
 * assistant (API replies allowed), 2 queue pool, 3 human servicer, 4 ended or
 * not started. A new customer message moves an ended session to 0.
 */
export type ServiceState = 0 | 1 | 2 | 3 | 4;

/**
 * Transitions `service_state/trans` allows (the overview's table, as the SDKs
 * quote it: 0 may go to the assistant, the pool or a servicer; 1 to the pool
 * or a servicer; 2 to a servicer; 3 to another servicer; 4 is not changeable
 * by API). Ending (→ 4) is allowed from every open state, since the overview
 * counts "the enterprise ended it through the API" as an end of session.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<ServiceState, readonly ServiceState[]>> = {
  0: [1, 2, 3, 4],
  1: [2, 3, 4],
  2: [3, 4],
  3: [3, 4],
  4: [],
};

/**
 * Codes for `send_msg_on_event` (path/95122): one message each, valid 20 s
 * (welcome on entering, end of session) or 48 h (entering the pool, taken by a
 * servicer).
 */
export type EventCodeKind = 'welcome' | 'pool' | 'servicer' | 'end';
const CODE_VALIDITY_MS: Record<EventCodeKind, number> = {
  welcome: 20_000,
  pool: 48 * 3600_000,
  servicer: 48 * 3600_000,
  end: 20_000,
};

interface Session {
  state: ServiceState;
  servicerUserId?: string;
  /** send_time of the customer's last message, in ms: the 48 h and the 5 messages run from it. */
  lastCustomerAtMs?: number;
  sentSinceCustomer: number;
  /** msg_code is returned only the first time a session enters 2 or 3. */
  codedStates: Set<ServiceState>;
}

interface EventCode {
  kind: EventCodeKind;
  openKfId: string;
  externalUserId: string;
  expiresAt: number;
  used: boolean;
}

/** What `send_msg` may do for one customer right now: 0 or the errcode WeCom answers. */
export type SendCheck = 0 | 95001 | 95002 | 95013 | 95018;

/** Per customer of an account: service state, the 48 h window and the 5-message allowance. */
export class Sessions {
  private readonly sessions = new Map<string, Session>();
  private readonly codes = new Map<string, EventCode>();

  constructor(
    private readonly now: () => number,
    private readonly windowMs: number,
    private readonly allowance: number,
  ) {}

  get(openKfId: string, externalUserId: string): Session {
    const key = `${openKfId}\u0000${externalUserId}`;
    let session = this.sessions.get(key);
    if (!session) {
      session = { state: 4, sentSinceCustomer: 0, codedStates: new Set() };
      this.sessions.set(key, session);
    }
    return session;
  }

  /** A customer message (origin 3) at `atMs`: restores the allowance and reopens an ended session. */
  customerWrote(openKfId: string, externalUserId: string, atMs: number): void {
    const session = this.get(openKfId, externalUserId);
    if (session.lastCustomerAtMs === undefined || atMs >= session.lastCustomerAtMs) {
      session.lastCustomerAtMs = atMs;
      session.sentSinceCustomer = 0;
    }
    if (session.state === 4) {
      session.state = 0;
      session.codedStates.clear();
      delete session.servicerUserId;
    }
  }

  /**
   * The order of the checks: the 48 h window first (95002), then the session
   * (ended 95013; pool or human servicer 95018, since API sends only work in
   * states 0 and 1), then the allowance (95001).
   */
  checkSend(openKfId: string, externalUserId: string): SendCheck {
    const session = this.get(openKfId, externalUserId);
    if (session.lastCustomerAtMs === undefined || this.now() - session.lastCustomerAtMs > this.windowMs) return 95002;
    if (session.state === 4) return 95013;
    if (session.state === 2 || session.state === 3) return 95018;
    if (session.sentSinceCustomer >= this.allowance) return 95001;
    return 0;
  }

  recordSend(openKfId: string, externalUserId: string): void {
    this.get(openKfId, externalUserId).sentSinceCustomer += 1;
  }

  /** Messages left in the allowance (0 when the window is closed). */
  allowanceLeft(openKfId: string, externalUserId: string): number {
    const session = this.get(openKfId, externalUserId);
    if (session.lastCustomerAtMs === undefined || this.now() - session.lastCustomerAtMs > this.windowMs) return 0;
    return Math.max(0, this.allowance - session.sentSinceCustomer);
  }

  /** `service_state/trans`; msg_code the first time a session enters 2 or 3, and on every end (path/94669). */
  trans(
    openKfId: string,
    externalUserId: string,
    target: ServiceState,
    servicerUserId: string | undefined,
  ): { errcode: 0; msgCode?: string } | { errcode: number } {
    const session = this.get(openKfId, externalUserId);
    if (!ALLOWED_TRANSITIONS[session.state].includes(target)) return { errcode: 95016 };
    if (target === 3 && !servicerUserId) return { errcode: 95014 };
    const firstTime = !session.codedStates.has(target);
    session.state = target;
    if (target === 3) session.servicerUserId = servicerUserId;
    else delete session.servicerUserId;
    let msgCode: string | undefined;
    if (target === 2 || target === 3) {
      session.codedStates.add(target);
      if (firstTime) msgCode = this.issueCode(target === 2 ? 'pool' : 'servicer', openKfId, externalUserId);
    } else if (target === 4) {
      msgCode = this.issueCode('end', openKfId, externalUserId);
    }
    return msgCode ? { errcode: 0, msgCode } : { errcode: 0 };
  }

  /** Forces a state (a servicer acting in the WeCom client); no checks. */
  force(openKfId: string, externalUserId: string, state: ServiceState, servicerUserId?: string): void {
    const session = this.get(openKfId, externalUserId);
    session.state = state;
    if (servicerUserId) session.servicerUserId = servicerUserId;
    else delete session.servicerUserId;
  }

  /** A new code valid from `atMs` (default now); `code` fixes its text (as given in an event). */
  issueCode(kind: EventCodeKind, openKfId: string, externalUserId: string, atMs = this.now(), code?: string): string {
    const text = code ?? randomBytes(24).toString('base64url');
    this.codes.set(text, { kind, openKfId, externalUserId, expiresAt: atMs + CODE_VALIDITY_MS[kind], used: false });
    return text;
  }

  /** A usable code's owner and kind, without spending it; undefined when unknown, used or expired. */
  peekCode(code: string): { kind: EventCodeKind; openKfId: string; externalUserId: string } | undefined {
    const found = this.codes.get(code);
    if (!found || found.used || found.expiresAt <= this.now()) return undefined;
    return { kind: found.kind, openKfId: found.openKfId, externalUserId: found.externalUserId };
  }

  /** Spends a code once (after `peekCode` found it usable). */
  spendCode(code: string): void {
    const found = this.codes.get(code);
    if (found) found.used = true;
  }

  clear(): void {
    this.sessions.clear();
    this.codes.clear();
  }
}
