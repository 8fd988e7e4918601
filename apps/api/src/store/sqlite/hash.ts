/** A stable 64-bit FNV-1a hash as 16 hex digits, used to turn run ids into single FTS tokens. */
export function hashId(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x01000193 ^ 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

export const flowScopeToken = (flowRunId: string) => `f${hashId(flowRunId)}`;
export const taskScopeToken = (taskRunId: string) => `t${hashId(taskRunId)}`;
