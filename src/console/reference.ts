import { reasonCodes } from '../postponements/reasons';
import { applicationKinds, type ApplicationKind } from '../screening/application-schema';
import { fieldCatalogue, type FieldInfo } from '../screening/field-paths';

/** Roots of the input bodies in the field catalogue (it also lists derived.* and context.* rule inputs). */
const derivedRoots = ['derived.', 'context.'];

export interface ConsoleReference {
  /** The reason codes an officer chooses from, with the actions they allow and their bilingual labels. */
  reasonCodes: typeof reasonCodes;
  /** Each intake field with its type, meaning (date, country, ...) and allowed values, per kind. */
  fields: Record<ApplicationKind, Omit<FieldInfo, 'optional'>[]>;
}

/**
 * What the console's forms need from the server's own definitions, so select options, field kinds and
 * reason codes follow the intake schemas and the reason list instead of being copied into the browser.
 */
export function consoleReference(): ConsoleReference {
  const fields = Object.fromEntries(
    applicationKinds.map((kind) => [
      kind,
      [...fieldCatalogue[kind].values()]
        .filter((field) => !derivedRoots.some((root) => field.path.startsWith(root)))
        .map(({ optional: _optional, ...field }) => field),
    ]),
  ) as ConsoleReference['fields'];
  return { reasonCodes, fields };
}
