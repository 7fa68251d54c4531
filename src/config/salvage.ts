import type { z } from 'zod';

/**
 * The valid parts of a value its schema refused: each object key parsed on
 * its own (a bad one takes its default), each array element on its own (a
 * bad one is left out). Used after the schema's problems were reported, so
 * the checks that look across sections (queues × messengers, routing rules ×
 * queues) still run on everything that is right, and every problem shows in
 * one run. Undefined when nothing sensible remains.
 */
export function salvage(schema: z.ZodType, value: unknown): unknown {
  const whole = schema.safeParse(value);
  if (whole.success) return whole.data;
  const s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType }; shape?: Record<string, z.ZodType>; element?: z.ZodType };
  const type = s.def.type;
  if ((type === 'default' || type === 'optional' || type === 'nullable') && s.def.innerType) {
    const inner = salvage(s.def.innerType, value);
    if (inner !== undefined) return inner;
    const fallback = schema.safeParse(undefined);
    return fallback.success ? fallback.data : undefined;
  }
  if (type === 'object' && s.shape && isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(s.shape)) {
      const v = salvage(field, value[key]);
      if (v !== undefined) out[key] = v;
      else if (!field.safeParse(undefined).success) return undefined;
    }
    // Object-level checks (a routing rule needs a condition) still apply to what was kept.
    const kept = schema.safeParse(out);
    return kept.success ? kept.data : undefined;
  }
  if (type === 'array' && s.element && Array.isArray(value)) {
    const element = s.element;
    const items = value.map((v) => salvage(element, v)).filter((v) => v !== undefined);
    const kept = schema.safeParse(items);
    return kept.success ? kept.data : undefined;
  }
  return undefined;
}

/** The keys an object schema at `path` knows (through defaults, optionals and arrays), for "did you mean". */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let s = schema as z.ZodType & { def: { type: string; innerType?: z.ZodType; valueType?: z.ZodType }; shape?: Record<string, z.ZodType>; element?: z.ZodType };
  const unwrap = () => {
    while (['default', 'optional', 'nullable'].includes(s.def.type) && s.def.innerType) s = s.def.innerType as typeof s;
  };
  unwrap();
  for (const step of path) {
    if (s.def.type === 'object' && s.shape && typeof step === 'string' && s.shape[step]) s = s.shape[step] as typeof s;
    else if (s.def.type === 'array' && s.element && typeof step === 'number') s = s.element as typeof s;
    else if (s.def.type === 'record' && s.def.valueType) s = s.def.valueType as typeof s;
    else return [];
    unwrap();
  }
  return s.def.type === 'object' && s.shape ? Object.keys(s.shape) : [];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
