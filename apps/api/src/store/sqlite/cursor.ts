/** Opaque keyset cursors: base64url of JSON `[sortKey, tieBreaker]`. Never OFFSET. */
import { BadRequestError } from '../../errors.js';

export type CursorKey = [string | number, string | number];

export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** Decodes and checks the types of both parts; a forged or stale cursor is a 400 naming `cursor`. */
export function decodeCursor(text: string, keyType: 'string' | 'number', tieType: 'string' | 'number'): CursorKey {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    v = undefined;
  }
  if (
    Array.isArray(v) &&
    v.length === 2 &&
    typeof v[0] === keyType &&
    typeof v[1] === tieType &&
    (keyType !== 'number' || Number.isFinite(v[0])) &&
    (tieType !== 'number' || Number.isFinite(v[1]))
  ) {
    return [v[0] as string | number, v[1] as string | number];
  }
  throw new BadRequestError('Invalid cursor', [{ path: 'cursor', message: 'not a cursor this server issued for this sort' }]);
}
