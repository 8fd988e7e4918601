/**
 * Turns user text into a safe FTS5 query: every whitespace-separated word becomes a quoted string
 * (quotes doubled), all AND-ed, so operators, column filters and stray quotes in the input are
 * just text. Words without a letter or digit cannot match a token and are dropped.
 */
export function toFtsQuery(text: string): string | null {
  const terms = text
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 32)
    .map((t) => `"${t.replace(/"/g, '""')}"`);
  return terms.length ? terms.join(' AND ') : null;
}
