/**
 * `linked: { by, withinDays, atLeast }`: at least N other travellers' applications, received before
 * this one, share the key within the window (resolved into the context before evaluation).
 */
import { z } from 'zod';
import { linkKeys, type LinkedApplication, type ScreeningContext } from '../../subject';
import { linkKeyFields, linkKeyKinds } from '../requirements';
import { compileGetter, evidenceValue, isRecord, unknownKeys, type State } from './kit';
import { defineOperator } from './operator';

export const linkedOperator = defineOperator({
  key: 'linked',
  schema: z.strictObject({ by: z.enum(linkKeys), withinDays: z.int().min(0).max(366), atLeast: z.int().min(1).max(1000) }),
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'linked needs an object { by, withinDays, atLeast }');
      return { protectedAlone: false };
    }
    unknownKeys(body, ['by', 'withinDays', 'atLeast'], path, env, 'linked');
    const by = body.by;
    if (typeof by !== 'string' || !(linkKeys as readonly string[]).includes(by)) {
      env.report([...path, 'by'], `by must be one of ${linkKeys.join(', ')}`);
    } else {
      const carriers = linkKeyKinds[by as (typeof linkKeys)[number]];
      for (const kind of env.kinds) {
        if (!carriers.includes(kind)) env.report([...path, 'by'], `${kind} applications have no ${by}; limit the rule's appliesTo to ${carriers.join(', ')}`);
      }
    }
    const days = body.withinDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 0 || days > 366) {
      env.report([...path, 'withinDays'], `withinDays must be a whole number of days from 0 to 366; got ${JSON.stringify(days)}`);
    }
    const atLeast = body.atLeast;
    if (typeof atLeast !== 'number' || !Number.isInteger(atLeast) || atLeast < 1 || atLeast > 1000) {
      env.report([...path, 'atLeast'], `atLeast must be a whole number of other travellers from 1 to 1000; got ${JSON.stringify(atLeast)}`);
    }
    return { protectedAlone: false };
  },
  compile({ by, withinDays, atLeast }) {
    const field = linkKeyFields[by];
    const get = compileGetter(field);
    const key = `linked:${by}`;
    const within = (s: State): LinkedApplication[] => ((s.context as ScreeningContext | undefined)?.links?.[by] ?? []).filter((l) => l.daysApart <= withinDays);
    const travellers = (linked: LinkedApplication[]) => new Set(linked.map((l) => l.traveller)).size;
    return {
      test: (s) => travellers(within(s)) >= atLeast,
      explain(s, _outcome, evidence) {
        const linked = within(s);
        evidence[field] = evidenceValue(get(s));
        evidence[key] = { withinDays, atLeast, travellers: travellers(linked), applicationIds: linked.map((l) => l.applicationId) };
      },
    };
  },
  requirements({ by, withinDays }, sink) {
    sink.link({ by, withinDays });
  },
});
