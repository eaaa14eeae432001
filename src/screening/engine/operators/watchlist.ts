/**
 * `watchlist: { list, field, minSimilarity? }`: an application field matches an entry of a watchlist
 * in force when the application was received (resolved into the context before evaluation).
 */
import { z } from 'zod';
import { isProtectedField } from '../../field-paths';
import { watchlistKinds, type ScreeningContext, type WatchlistMatch } from '../../subject';
import { effectiveMinSimilarity, MIN_SIMILARITY_FLOOR, watchlistMatchMode } from '../requirements';
import { compileGetter, evidenceValue, isRecord, resolveField, unknownKeys, type State } from './kit';
import { defineOperator } from './operator';

export const watchlistOperator = defineOperator({
  key: 'watchlist',
  schema: z.strictObject({ list: z.enum(watchlistKinds), field: z.string().min(1), minSimilarity: z.number().min(MIN_SIMILARITY_FLOOR).max(1).optional() }),
  check(body, path, env) {
    if (!isRecord(body)) {
      env.report(path, 'watchlist needs an object { list, field, minSimilarity? }');
      return { protectedAlone: false };
    }
    unknownKeys(body, ['list', 'field', 'minSimilarity'], path, env, 'watchlist');
    const list = body.list;
    const listOk = typeof list === 'string' && (watchlistKinds as readonly string[]).includes(list);
    if (!listOk) env.report([...path, 'list'], `list must be one of the watchlists: ${watchlistKinds.join(', ')}`);
    const field = body.field;
    const info = resolveField(field, [...path, 'field'], env);
    if (info && (info.path.startsWith('derived.') || info.path.startsWith('context.'))) {
      env.report([...path, 'field'], `watchlist compares an application field; ${info.path} is not one`);
    } else if (info && listOk) {
      const mode = watchlistMatchMode(list as (typeof watchlistKinds)[number], info.path);
      if (mode === 'phone' && info.tag !== 'phone') env.report([...path, 'field'], `the phone watchlist needs a phone field; ${info.path} is not one`);
      if (mode !== 'phone' && (info.type !== 'string' || info.tag !== undefined)) {
        env.report([...path, 'field'], `the ${String(list)} watchlist compares names; ${info.path} is ${info.tag ?? info.type}, not free text`);
      }
      if ('minSimilarity' in body && mode !== 'name') {
        env.report([...path, 'minSimilarity'], `${mode === 'phone' ? 'phone numbers' : 'licences'} match exactly; minSimilarity does not apply`);
      }
    }
    if ('minSimilarity' in body) {
      const min = body.minSimilarity;
      if (typeof min !== 'number' || !(min >= MIN_SIMILARITY_FLOOR && min <= 1)) {
        env.report([...path, 'minSimilarity'], `minSimilarity must be a number from ${MIN_SIMILARITY_FLOOR} to 1; got ${JSON.stringify(min)}`);
      }
    }
    return { protectedAlone: typeof field === 'string' && isProtectedField(field) };
  },
  compile({ list, field, minSimilarity }) {
    const min = effectiveMinSimilarity(list, field, minSimilarity);
    const get = compileGetter(field);
    const key = `watchlist:${list}:${field}`;
    const accepts = (m: WatchlistMatch) => m.list === list && m.field === field && m.similarity >= min;
    const entries = (s: State) => (s.context as ScreeningContext | undefined)?.watchlist ?? [];
    return {
      test: (s) => entries(s).some(accepts),
      explain(s, _outcome, evidence) {
        evidence[field] = evidenceValue(get(s));
        evidence[key] = entries(s)
          .filter(accepts)
          .sort((a, b) => b.similarity - a.similarity || (a.entryId < b.entryId ? -1 : 1))
          .map(({ entryId, entry, similarity, source }) => ({ entryId, entry, similarity, source }));
      },
    };
  },
  requirements({ list, field, minSimilarity }, sink) {
    sink.watchlist({ list, field, minSimilarity: effectiveMinSimilarity(list, field, minSimilarity) });
  },
});
