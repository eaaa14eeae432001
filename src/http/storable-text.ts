import { z } from 'zod';

/**
 * Text PostgreSQL can store. `text` and `jsonb` cannot hold NUL (U+0000), and `jsonb` refuses UTF-16
 * surrogates that are not part of a pair; a request carrying either would otherwise reach the database
 * and fail there as a 500. Every string at the edge (body, query, path parameters, each batch row) is
 * checked once against this, so such input is a 400 naming the field instead.
 */
export const unstorableText = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const unstorableTextGlobal = new RegExp(unstorableText.source, 'g');

export const isStorableText = (value: string): boolean => !unstorableText.test(value);

/** The text with every character PostgreSQL cannot store replaced by U+FFFD (for audit records and paths in messages). */
export const storableCopy = (value: string): string => value.replace(unstorableTextGlobal, '\uFFFD');

export const UNSTORABLE_TEXT_MESSAGE = 'contains a character that cannot be stored (NUL or an unpaired UTF-16 surrogate)';

/** The most problems one input reports: a body of 10,000 bad strings needs no 10,000 lines back. */
const MAX_REPORTED = 20;

interface Node {
  value: unknown;
  key: string | number | null;
  parent: Node | null;
}

const pathOf = (node: Node): (string | number)[] => {
  const path: (string | number)[] = [];
  for (let at: Node | null = node; at && at.key !== null; at = at.parent) path.unshift(typeof at.key === 'string' ? storableCopy(at.key) : at.key);
  return path;
};

/**
 * The path of every string (object keys included) in a JSON-like value that PostgreSQL cannot store,
 * at most MAX_REPORTED. Walks without recursion and builds a path only for what it reports, so deeply
 * nested input (20,000 levels) costs no stack and no quadratic memory.
 */
export function unstorablePaths(input: unknown): (string | number)[][] {
  const found: (string | number)[][] = [];
  const stack: Node[] = [{ value: input, key: null, parent: null }];
  while (stack.length > 0 && found.length < MAX_REPORTED) {
    const node = stack.pop()!;
    const { value } = node;
    if (typeof value === 'string') {
      if (!isStorableText(value)) found.push(pathOf(node));
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: node });
    } else if (value !== null && typeof value === 'object') {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        const child: Node = { value: (value as Record<string, unknown>)[key], key, parent: node };
        if (!isStorableText(key)) found.push(pathOf(child));
        else stack.push(child);
      }
    }
  }
  return found.slice(0, MAX_REPORTED);
}

/**
 * The one storable-text schema: any input (a body, a query, path parameters, a batch row) whose every
 * string, keys included, PostgreSQL can store. The edge parses with it before the endpoint's own
 * schema (src/http/validate.ts), so each issue names the field.
 */
export const storableInput = z.unknown().superRefine((value, ctx) => {
  for (const path of unstorablePaths(value)) ctx.addIssue({ code: 'custom', message: UNSTORABLE_TEXT_MESSAGE, path, params: { reason: 'unstorable_text' } });
});

/** One string PostgreSQL can store, for schemas that need the rule on a single field (a decoded cursor's key). */
export const storableText = () => z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
