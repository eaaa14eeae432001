/**
 * The field paths rules may reference, per application kind, computed by walking the zod schemas
 * (application schema + derived + context). Nothing here is hand-maintained.
 */
import type { z } from 'zod';
import { departureCheckInputSchema, fieldTagOf, type FieldTag, manifestPassengerSchema, passportApplicationInputSchema, type ScreeningKind } from './application-schema';
import { derivedDepartureSchema, derivedManifestSchema, derivedPassportSchema, screeningContextSchema } from './subject';

export type FieldType = 'string' | 'number' | 'boolean' | 'enum' | 'string[]';

export interface FieldInfo {
  path: string;
  type: FieldType;
  /** date/datetime/country/currency/phone, when the string has that meaning. */
  tag?: FieldTag;
  /** Allowed values of an enum field. */
  values?: readonly string[];
  /** Whether the value may be absent. */
  optional: boolean;
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  entries?: Record<string, string>;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

function leafOf(schema: z.ZodType): { type: FieldType; tag?: FieldTag; values?: readonly string[] } | null {
  const tag = fieldTagOf(schema);
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return tag ? { type: 'string', tag } : { type: 'string' };
    case 'number':
    case 'int':
      return { type: 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'enum':
      return { type: 'enum', values: Object.values(def.entries ?? {}) };
    case 'pipe': {
      // Normalising pipes (string -> transform -> checked string): the input side carries the meaning.
      const inner = defOf(def.in!).type === 'transform' ? def.out! : def.in!;
      const leaf = leafOf(inner);
      return leaf && tag ? { ...leaf, tag } : leaf;
    }
    case 'array': {
      const element = leafOf(def.element!);
      if (element && (element.type === 'string' || element.type === 'enum')) return element.tag ? { type: 'string[]', tag: element.tag } : { type: 'string[]' };
      return null;
    }
    default:
      return null;
  }
}

function walk(schema: z.ZodType, prefix: string, optional: boolean, out: Map<string, FieldInfo>): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
      walk(def.innerType!, prefix, true, out);
      return;
    case 'default':
    case 'prefault':
      walk(def.innerType!, prefix, optional, out);
      return;
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {})) walk(child, prefix ? `${prefix}.${key}` : key, optional, out);
      return;
    default: {
      const leaf = leafOf(schema);
      if (leaf) out.set(prefix, { path: prefix, optional, ...leaf });
    }
  }
}

const schemasOf = {
  departure: { input: departureCheckInputSchema, derived: derivedDepartureSchema },
  passport: { input: passportApplicationInputSchema, derived: derivedPassportSchema },
  manifest: { input: manifestPassengerSchema, derived: derivedManifestSchema },
} as const;

function catalogue(kind: ScreeningKind): ReadonlyMap<string, FieldInfo> {
  const out = new Map<string, FieldInfo>();
  walk(schemasOf[kind].input, '', false, out);
  walk(schemasOf[kind].derived, 'derived', false, out);
  walk(screeningContextSchema, 'context', true, out);
  return out;
}

/** Every valid rule field path per application kind, with its type. */
export const fieldCatalogue: Readonly<Record<ScreeningKind, ReadonlyMap<string, FieldInfo>>> = {
  departure: catalogue('departure'),
  passport: catalogue('passport'),
  manifest: catalogue('manifest'),
};

/** The valid rule field paths for one kind, sorted. */
export function fieldPathsFor(kind: ScreeningKind): string[] {
  return [...fieldCatalogue[kind].keys()].sort();
}

const protectedLeaves = new Set(['sex', 'religion', 'provinceOfOrigin', 'regencyOfOrigin', 'placeOfBirth', 'dateOfBirth']);

/**
 * Protected attributes: a rule may never fire on these alone (sex, age and date of birth, religion,
 * origin). They may only appear combined with a non-protected signal.
 */
export function isProtectedField(path: string): boolean {
  if (path.startsWith('derived.age')) return true;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return (path.startsWith('traveller.') || path.startsWith('applicant.') || path.startsWith('passenger.')) && protectedLeaves.has(last);
}
