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

export interface KeywordMatcher {
  /** The keywords (as written in the rule set) found in already-normalised text, in order of appearance, without repeats. */
  find(normalisedText: string): string[];
}

/**
 * Finds whole keywords (one or more words) in normalised text, longest first at each word, so one
 * scan finds every keyword ("cs" does not match inside "physics"). Normalised text is words of letters
 * and digits separated by single spaces: the scan looks up each word among the keywords' first words
 * and compares only the keywords starting with it. Time linear in the text, and no regular expression
 * is built from rule text.
 */
export function compileKeywordMatcher(keywords: readonly string[]): KeywordMatcher {
  const original = new Map<string, string>();
  for (const keyword of keywords) {
    const normalised = normaliseText(keyword);
    if (normalised && !original.has(normalised)) original.set(normalised, keyword);
  }
  if (original.size === 0) return { find: () => [] };
  // Keywords by their first word, longest first.
  const byFirstWord = new Map<string, { phrase: string; keyword: string }[]>();
  for (const [phrase, keyword] of original) {
    const space = phrase.indexOf(' ');
    const first = space < 0 ? phrase : phrase.slice(0, space);
    const list = byFirstWord.get(first) ?? [];
    list.push({ phrase, keyword });
    byFirstWord.set(first, list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.phrase.length - a.phrase.length);
  return {
    find(text) {
      let found: string[] | undefined;
      let start = 0;
      while (start < text.length) {
        const space = text.indexOf(' ', start);
        const wordEnd = space < 0 ? text.length : space;
        let next = wordEnd + 1;
        const candidates = byFirstWord.get(text.slice(start, wordEnd));
        if (candidates) {
          for (const { phrase, keyword } of candidates) {
            const end = start + phrase.length;
            // The keyword must end where a word ends.
            if (!(end === text.length || text.charCodeAt(end) === 32) || !text.startsWith(phrase, start)) continue;
            if (!found) found = [keyword];
            else if (!found.includes(keyword)) found.push(keyword);
            next = end + 1;
            break;
          }
        }
        start = next;
      }
      return found ?? [];
    },
  };
}
