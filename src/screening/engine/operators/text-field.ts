/** Shared by the text operators: a field that must hold text, collected for the protected-attribute policy. */
import { isProtectedField } from '../../field-paths';
import { resolveField, type Analysis, type CheckEnv, type Path } from './kit';

export function textFields(operator: string, env: CheckEnv) {
  const fields: string[] = [];
  return {
    check(value: unknown, at: Path) {
      const info = resolveField(value, at, env);
      if (info && info.type !== 'string' && info.type !== 'enum') env.report(at, `${operator} needs a text field; ${info.path} is ${info.type}`);
      if (typeof value === 'string') fields.push(value);
    },
    add(value: unknown) {
      if (typeof value === 'string') fields.push(value);
    },
    analysis(): Analysis {
      return { protectedAlone: fields.length > 0 && fields.every(isProtectedField) };
    },
  };
}
