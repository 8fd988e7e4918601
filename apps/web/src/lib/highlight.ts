/**
 * Splits text into plain and matching parts for search highlighting. Case-insensitive; the query is
 * taken literally (regex characters are escaped), and each whitespace-separated word is matched.
 */
export interface Part {
  text: string;
  match: boolean;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Words of a search, without FTS quote characters, longest first (so "error" beats "err"). */
export function searchTerms(query: string): string[] {
  const words = query
    .split(/\s+/)
    .map((w) => w.replace(/^["']+|["']+$/g, ''))
    .filter((w) => w.length > 0);
  return [...new Set(words.map((w) => w.toLowerCase()))].sort((a, b) => b.length - a.length);
}

export function highlightParts(text: string, query: string | undefined | null): Part[] {
  const terms = query ? searchTerms(query) : [];
  if (!terms.length || !text) return [{ text, match: false }];
  const re = new RegExp(terms.map(escapeRegExp).join('|'), 'gi');
  const parts: Part[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    const i = m.index ?? 0;
    if (m[0].length === 0) continue;
    if (i > last) parts.push({ text: text.slice(last, i), match: false });
    parts.push({ text: m[0], match: true });
    last = i + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), match: false });
  return parts.length ? parts : [{ text, match: false }];
}

const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Whether a live line would be found by the API's log search, so it may join a searched list.
 * Mirrors the server's FTS5 query: every word of the search must appear as whole tokens (a word
 * like "(HTTP" is the token "http"; "1" does not match "10").
 */
export function matchesSearch(text: string, query: string | undefined | null): boolean {
  if (!query) return true;
  const words = query.split(/\s+/).map(tokens).filter((t) => t.length > 0);
  if (!words.length) return false;
  const line = tokens(text);
  return words.every((phrase) => {
    for (let i = 0; i + phrase.length <= line.length; i++) {
      if (phrase.every((t, j) => line[i + j] === t)) return true;
    }
    return false;
  });
}
