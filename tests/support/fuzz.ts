/**
 * A small seeded mutation fuzzer for the inbound routes: a PRNG everyone can
 * replay (`FUZZ_SEED=<n>`), byte-level mutations (flips, truncation, cut and
 * repeated ranges, inserted junk) and structure-aware ones on JSON (a node
 * replaced by null, [], {}, [null], a wrong type, a prototype key, a huge or
 * deep value; a key dropped or added) and on forms.
 */

/** mulberry32: tiny, fast and good enough to pick mutations. */
export class Rng {
  private state: number;

  constructor(readonly seed: number) { this.state = seed >>> 0; }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [0, n). */
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(items: readonly T[]): T { return items[this.int(items.length)]!; }
  bytes(n: number): Buffer { const b = Buffer.alloc(n); for (let i = 0; i < n; i++) b[i] = this.int(256); return b; }
}

/** The seed of this run: FUZZ_SEED when set (to replay a failure), else a fresh one; printed either way. */
export function fuzzSeed(name: string): number {
  const given = process.env.FUZZ_SEED;
  const seed = given && /^\d+$/.test(given) ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  // Printed so a failing run can be replayed exactly.
  console.log(`[fuzz] ${name}: seed ${seed} (replay with FUZZ_SEED=${seed})`);
  return seed;
}

/** A mutated body and how it was made (shown when an assertion fails). */
export interface Mutation<T = Buffer> { value: T; how: string }

const INTERESTING_BYTES = [0x00, 0xff, 0x22, 0x7b, 0x7d, 0x5b, 0x5d, 0x5c, 0x25, 0x26, 0x3d, 0x2c, 0x3a, 0x0a, 0x80, 0xc3];

/** One to four byte-level mutations of `input`. */
export function mutateBytes(rng: Rng, input: Buffer): Mutation {
  let b = Buffer.from(input);
  const steps: string[] = [];
  const rounds = 1 + rng.int(4);
  for (let r = 0; r < rounds; r++) {
    const at = b.length ? rng.int(b.length) : 0;
    switch (rng.int(8)) {
      case 0: if (b.length) { b[at] = b[at]! ^ (1 << rng.int(8)); steps.push(`bit@${at}`); } break;
      case 1: if (b.length) { b[at] = rng.pick(INTERESTING_BYTES); steps.push(`byte@${at}`); } break;
      case 2: b = b.subarray(0, at); steps.push(`truncate@${at}`); break;
      case 3: { const len = 1 + rng.int(32); b = Buffer.concat([b.subarray(0, at), b.subarray(at + len)]); steps.push(`cut@${at}+${len}`); break; }
      case 4: { const len = 1 + rng.int(64); b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]); steps.push(`repeat@${at}+${len}`); break; }
      case 5: { const junk = rng.bytes(1 + rng.int(16)); b = Buffer.concat([b.subarray(0, at), junk, b.subarray(at)]); steps.push(`junk@${at}`); break; }
      case 6: { const text = Buffer.from(rng.pick(['null', '[]', '{}', '"', '\\u0000', '%', '%zz', '&payload=', '\u{1F600}', '\uFFFF', '\\', 'NaN', '1e999', '-0'])); b = Buffer.concat([b.subarray(0, at), text, b.subarray(at)]); steps.push(`insert@${at}`); break; }
      default: if (b.length > 1) { const a = rng.int(b.length); const c = rng.int(b.length); const t = b[a]!; b[a] = b[c]!; b[c] = t; steps.push(`swap@${a},${c}`); }
    }
  }
  return { value: b, how: `bytes[${steps.join(' ')}]` };
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Path = (string | number)[];

/** Nesting far beyond any real payload (the server refuses > 32). */
export function deepValue(depth: number, kind: 'object' | 'array' = 'object'): Json {
  let v: Json = 'bottom';
  for (let i = 0; i < depth; i++) v = kind === 'object' ? { d: v } : [v];
  return v;
}

/** The same nesting as JSON text, built without recursion (JSON.stringify would overflow first). */
export function deepJsonText(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object' ? `${'{"d":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

const NASTY: (() => Json)[] = [
  () => null, () => [], () => ({}), () => [null], () => [[]], () => 0, () => -1, () => 1.5, () => 2 ** 53 + 2,
  () => true, () => false, () => '', () => ' ', () => 'constructor', () => '__proto__', () => 'toString', () => 'hasOwnProperty',
  () => '0', () => '-1', () => 'null', () => '\u0000', () => '\uD800', () => 'x'.repeat(70_000), () => '<@U0AGENT>', () => '!claim',
  () => deepValue(40), () => deepValue(40, 'array'), () => JSON.parse('{"__proto__":{"polluted":true}}') as Json, () => ({ constructor: { prototype: { polluted: true } } }),
];

function nodes(v: Json, path: Path = [], out: Path[] = []): Path[] {
  out.push(path);
  if (out.length > 2000) return out;
  if (Array.isArray(v)) v.forEach((c, i) => nodes(c, [...path, i], out));
  else if (v && typeof v === 'object') for (const k of Object.keys(v)) nodes(v[k]!, [...path, k], out);
  return out;
}

function setAt(root: Json, path: Path, value: Json | undefined): Json {
  if (!path.length) return value === undefined ? null : value;
  let parent: Json = root;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step]!;
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof last === 'number') {
    if (value === undefined) parent.splice(last, 1);
    else parent[last] = value;
  } else if (parent && typeof parent === 'object') {
    const obj = parent as Record<string, Json>;
    if (value === undefined) delete obj[last];
    else Object.defineProperty(obj, last, { value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/**
 * One to three structure-aware mutations of a JSON value: a node replaced by
 * a nasty value or by one of another type, removed, or given an extra key;
 * `__proto__` keys are written as own keys (as `JSON.parse` would make them).
 */
export function mutateJson(rng: Rng, input: unknown): Mutation<unknown> {
  let v = JSON.parse(JSON.stringify(input)) as Json;
  const steps: string[] = [];
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const all = nodes(v);
    const path = rng.pick(all);
    const where = path.join('.') || '(root)';
    switch (rng.int(5)) {
      case 0:
      case 1: { const nasty = rng.pick(NASTY)(); v = setAt(v, path, nasty); steps.push(`${where}=${JSON.stringify(nasty)?.slice(0, 24)}`); break; }
      case 2: if (path.length) { v = setAt(v, path, undefined); steps.push(`-${where}`); } break;
      case 3: {
        const key = rng.pick(['__proto__', 'constructor', 'toString', 'extra', '', 'event', 'payload', 'actions', 'user', 'type']);
        const target = path.length ? path : [];
        const at = target.reduce<Json>((p, s) => (p as Record<string | number, Json>)[s]!, v);
        if (at && typeof at === 'object' && !Array.isArray(at)) { setAt(v, [...target, key], rng.pick(NASTY)()); steps.push(`+${where}.${key}`); }
        break;
      }
      default: {
        // The same node as another type: numbers as strings, objects as arrays…
        const at = path.reduce<Json>((p, s) => (p as Record<string | number, Json>)[s]!, v);
        const swapped: Json = typeof at === 'string' ? Number(at.length) : typeof at === 'number' ? String(at) : Array.isArray(at) ? Object.fromEntries(at.map((x, i) => [String(i), x])) : at && typeof at === 'object' ? Object.values(at) : String(at);
        v = setAt(v, path, swapped);
        steps.push(`~${where}`);
      }
    }
  }
  return { value: v, how: `json[${steps.join(' ')}]` };
}

/** Form fields mutated: one dropped, emptied, duplicated, replaced by a nasty text, or an unknown one added. */
export function mutateForm(rng: Rng, fields: Record<string, string>): Mutation<string> {
  const form = new URLSearchParams(fields);
  const keys = [...form.keys()];
  const steps: string[] = [];
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const key = keys.length ? rng.pick(keys) : 'x';
    switch (rng.int(5)) {
      case 0: form.delete(key); steps.push(`-${key}`); break;
      case 1: form.set(key, ''); steps.push(`${key}=''`); break;
      case 2: form.append(key, 'second'); steps.push(`${key}+dup`); break;
      case 3: { const value = rng.pick(['null', '[]', '5', '"x"', '{}', '[null]', '/constructor', '/__proto__', 'x'.repeat(5000), '%', '\u0000']); form.set(key, value); steps.push(`${key}=${value.slice(0, 12)}`); break; }
      default: form.append(rng.pick(['payload', '__proto__', 'command', 'type', 'ssl_check']), rng.pick(['1', 'null', '{"type":"block_actions"}'])); steps.push('+field');
    }
  }
  return { value: form.toString(), how: `form[${steps.join(' ')}]` };
}

/**
 * Keeps a dedupe key unique after a mutation: when the value at `path` is
 * (still) a string, `#tag` is appended. Two concurrent requests with one key
 * are answered 503 "in progress" by design; the fuzz runs keep their
 * concurrent requests apart and send same-key ones one at a time instead.
 */
export function uniqueAt(value: unknown, path: readonly (string | number)[], tag: string): unknown {
  let parent: unknown = value;
  for (const step of path.slice(0, -1)) {
    if (!parent || typeof parent !== 'object' || !Object.hasOwn(parent, step)) return value;
    parent = (parent as Record<string | number, unknown>)[step];
  }
  const last = path[path.length - 1]!;
  if (parent && typeof parent === 'object' && Object.hasOwn(parent, last)) {
    const current = (parent as Record<string | number, unknown>)[last];
    if (typeof current === 'string') Object.defineProperty(parent, last, { value: `${current}#${tag}`, enumerable: true, writable: true, configurable: true });
  }
  return value;
}
