import { routeQueue, type RoutingInput, type RoutingRule } from '../../src/core/routing/route-queue.js';
import { rankSeats, type Candidate } from '../../src/core/assignment/pick-seat.js';
import { distribution, type Distribution } from '../support/percentiles.js';

/** Milliseconds with microsecond resolution: the decisions take well under one. */
const ms = (ns: bigint) => Math.round(Number(ns) / 1e3) / 1e3;

/**
 * Times `call` once per input, `iterations` times over, after a warm-up of a
 * tenth as many: wall time, and the process's CPU time over the same call
 * (user + system, µs resolution), which a busy machine's preemption does not
 * inflate the way it inflates wall time.
 */
function timeEach<T>(inputs: readonly T[], iterations: number, call: (input: T) => unknown): { ms: Distribution; cpuMs: Distribution } {
  let sink = 0;
  for (let i = 0; i < Math.ceil(iterations / 10); i++) sink += call(inputs[i % inputs.length]!) ? 1 : 0;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const input = inputs[i % inputs.length]!;
    const c = process.cpuUsage();
    const t = process.hrtime.bigint();
    sink += call(input) ? 1 : 0;
    wall.push(ms(process.hrtime.bigint() - t));
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  // Keeps the calls from being optimised away.
  if (sink < 0) console.log(sink);
  return { ms: distribution(wall), cpuMs: distribution(cpu) };
}

/**
 * A realistic `routing.rules` of `count` rules: a fifth by channel and account,
 * three fifths by keywords (3 to 5 each, Latin and Chinese, hashtags among
 * them), a fifth by customer tag; in that mix, in order.
 */
export function routingRules(count: number): RoutingRule[] {
  const words = ['refund', 'invoice', 'delivery', 'password', 'warranty', 'cancel', 'upgrade', 'broken', 'discount', 'address', '退款', '发票', '物流', '退换货', '催单', '投诉'];
  return Array.from({ length: count }, (_, i): RoutingRule => {
    const queue = `q${i % 5}`;
    if (i % 5 === 0) return { queue, channel: ['whatsapp', 'wechat', 'api', 'webchat'][i % 4]!, account: `acct-${i}` };
    if (i % 5 === 4) return { queue, customerTags: [`tier-${i}`, `region-${i}`] };
    const n = 3 + (i % 3);
    return { queue, keywords: Array.from({ length: n }, (_, k) => `${k === 0 ? '#' : ''}${words[(i + k * 7) % words.length]}-${i}`) };
  });
}

/** Customer first messages that match no rule or a late one: every rule is looked at, the worst case. */
export function routingInputs(count: number, rules: readonly RoutingRule[]): RoutingInput[] {
  const late = rules.filter((r) => r.keywords).at(-1)!.keywords![0]!;
  return Array.from({ length: count }, (_, i) => ({
    channel: 'whatsapp',
    account: '106540352242922',
    text: `Hello, my order ${10_000 + i} has not arrived yet and the tracking page shows nothing since Monday. ${i % 4 === 0 ? late : ''} 你好，我的订单还没有到，请帮我查一下。`,
    customerTags: i % 3 === 0 ? ['vip'] : [],
  }));
}

/**
 * `count` seats as the decision sees them: most online, a few paused or away,
 * loads spread from 0 to `max` (some full), turns spread over the last day.
 */
export function candidates(count: number, max: number, seed = 1): Candidate[] {
  let x = seed;
  const next = () => { x = (x * 1_103_515_245 + 12_345) % 2 ** 31; return x / 2 ** 31; };
  return Array.from({ length: count }, (_, i) => ({
    seatId: `seat-${String(i).padStart(5, '0')}`,
    enabled: true,
    presence: i % 10 === 9 ? 'paused' : 'online',
    load: Math.floor(next() * (max + 1)),
    max,
    lastAssignedAt: 1_700_000_000_000 + Math.floor(next() * 86_400_000),
  }));
}

interface Timed { candidates?: number; rules?: number; iterations: number; ms: Distribution; cpuMs: Distribution }

export interface DecisionTimings {
  routing: Timed;
  leastBusy: Timed;
  roundRobin: Timed;
  /** Over one queue's seats (5,000 in 5 queues): what an assignment run ranked before the load index. */
  leastBusyPerQueue: Timed;
  /** Over the load index's first 8 entries and the sticky seat: what least-busy ranks per conversation now. */
  leastBusyPage: Timed;
  /** The best 8 of 5,000 (`rankSeats(…, 8)`, one pass, no sort): what round-robin ranks per conversation now. */
  leastBusyBest8: Timed;
  roundRobinBest8: Timed;
}

/** The two pure decisions, timed call by call: routeQueue over `rules` rules, rankSeats over `seats` candidates. */
export function timeDecisions(p: { rules: number; seats: number; queues: number; iterations: number }): DecisionTimings {
  const rules = routingRules(p.rules);
  const inputs = routingInputs(200, rules);
  const routing = timeEach(inputs, p.iterations, (input) => routeQueue(rules, input, 'default'));
  // Different loads per input, so no call sorts what the previous one sorted.
  const sets = Array.from({ length: 8 }, (_, i) => candidates(p.seats, 30, i + 1));
  const perQueue = Array.from({ length: 8 }, (_, i) => candidates(Math.ceil(p.seats / p.queues), 30, i + 11));
  const rules0 = { overload: 15, underload: 5 };
  const pages = Array.from({ length: 8 }, (_, i) => candidates(9, 30, i + 21));
  const iterations = Math.max(200, Math.floor(p.iterations / 10));
  return {
    routing: { rules: p.rules, iterations: p.iterations, ...routing },
    leastBusy: { candidates: p.seats, iterations, ...timeEach(sets, iterations, (c) => rankSeats(c, { assignment: 'least_busy', ...rules0 })[0]) },
    roundRobin: { candidates: p.seats, iterations, ...timeEach(sets, iterations, (c) => rankSeats(c, { assignment: 'round_robin', ...rules0 })[0]) },
    leastBusyPerQueue: { candidates: perQueue[0]!.length, iterations, ...timeEach(perQueue, iterations, (c) => rankSeats(c, { assignment: 'least_busy', ...rules0 })[0]) },
    leastBusyPage: { candidates: 9, iterations: p.iterations, ...timeEach(pages, p.iterations, (c) => rankSeats(c, { assignment: 'least_busy', ...rules0, sticky: c[8]!.seatId })[0]) },
    leastBusyBest8: { candidates: p.seats, iterations, ...timeEach(sets, iterations, (c) => rankSeats(c, { assignment: 'least_busy', ...rules0 }, 8)[0]) },
    roundRobinBest8: { candidates: p.seats, iterations, ...timeEach(sets, iterations, (c) => rankSeats(c, { assignment: 'round_robin', ...rules0 }, 8)[0]) },
  };
}
