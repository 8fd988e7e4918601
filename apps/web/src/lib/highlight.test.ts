import { describe, expect, it } from 'vitest';
import { highlightParts, matchesSearch } from './highlight';

const marked = (text: string, q: string) =>
  highlightParts(text, q)
    .map((p) => (p.match ? `[${p.text}]` : p.text))
    .join('');

describe('log search highlighting', () => {
  it('marks every match, case-insensitively, keeping the original case', () => {
    expect(marked('Error: retry ERROR later', 'error')).toBe('[Error]: retry [ERROR] later');
  });

  it('takes regex characters literally', () => {
    expect(marked('cost is $5.00 (approx) [x]', '$5.00 (approx)')).toBe('cost is [$5.00] [(approx)] [x]');
    expect(marked('a.b acb', 'a.b')).toBe('[a.b] acb');
    expect(marked('path\\to\\file', '\\to')).toBe('path[\\to]\\file');
    expect(marked('x*y+z?', '*y+')).toBe('x[*y+]z?');
  });

  it('highlights each word and prefers the longer overlapping one', () => {
    expect(marked('fetching rows from warehouse', 'rows warehouse')).toBe('fetching [rows] from [warehouse]');
    expect(marked('errors', 'err errors')).toBe('[errors]');
  });

  it('returns the text untouched for an empty query or no match', () => {
    expect(highlightParts('hello', '')).toEqual([{ text: 'hello', match: false }]);
    expect(highlightParts('hello', '   ')).toEqual([{ text: 'hello', match: false }]);
    expect(marked('hello', 'zzz')).toBe('hello');
  });

  it('decides whether a live line matches a search the way the API does (whole words, any order)', () => {
    expect(matchesSearch('Loaded 10 ROWS', 'rows loaded')).toBe(true);
    expect(matchesSearch('Loaded 10 rows', 'rows missing')).toBe(false);
    expect(matchesSearch('tick 10', 'tick 1')).toBe(false);
    expect(matchesSearch('warehouse busy (HTTP 503)', '(http')).toBe(true);
    expect(matchesSearch('a.b.c failed', 'b.c')).toBe(true);
    expect(matchesSearch('anything', '***')).toBe(false);
    expect(matchesSearch('anything', undefined)).toBe(true);
  });
});
