/** Case-, accent- and whitespace-insensitive keyword search with word boundaries. */

/** Lower case, accents stripped, every run of non-letters/digits folded to one space, trimmed. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface KeywordMatcher {
  /** The keywords (as written in the rule set) found in already-normalised text, in order of appearance, without repeats. */
  find(normalisedText: string): string[];
}

/**
 * Compiles all keywords into one alternation over normalised text, longest first, anchored on word
 * boundaries, so one scan finds every keyword ("cs" does not match inside "physics").
 */
export function compileKeywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const original = new Map<string, string>();
  for (const keyword of keywords) {
    const normalised = normaliseText(keyword);
    if (normalised && !original.has(normalised)) original.set(normalised, keyword);
  }
  const alternatives = [...original.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map(escapeRegex);
  if (alternatives.length === 0) return { find: () => [] };
  const regex = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives.join('|')})(?![\\p{L}\\p{N}])`, 'gu');
  return {
    find(text) {
      regex.lastIndex = 0;
      let found: string[] | undefined;
      let match: RegExpExecArray | null;
      while ((match = regex.exec(text)) !== null) {
        const keyword = original.get(match[0]) ?? match[0];
        if (!found) found = [keyword];
        else if (!found.includes(keyword)) found.push(keyword);
      }
      return found ?? [];
    },
  };
}
