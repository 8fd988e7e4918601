import { describe, expect, it } from 'vitest';
import type { ErrorData } from '@flowlight/schema';
import { causeChain, groupFrames, parseFrame, parseStack, shortFile, tracebackText } from './traceback';

const stack = `Error: could not reach warehouse
  with a second line
    at fetchRows (/home/ann/flows/etl.ts:12:11)
    at async Promise.all (index 0)
    at async runTask (/work/main/packages/engine/src/task.ts:88:20)
    at Object.<anonymous> (file:///home/ann/flows/main%20dir/etl.js:3:1)
    at new Pool (/home/ann/flows/node_modules/pg/lib/pool.js:45:7)
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
    at /home/ann/flows/anon.ts:7:3
    at eval (eval at <anonymous> (/home/ann/x.js:1:1), <anonymous>:1:1)`;

describe('traceback parsing', () => {
  const parsed = parseStack({ name: 'Error', message: 'could not reach warehouse', stack });

  it('reads function, file, line and column of V8 frames', () => {
    expect(parsed.frames[0]).toMatchObject({ fn: 'fetchRows', file: '/home/ann/flows/etl.ts', line: 12, column: 11, kind: 'user' });
    expect(parsed.frames[6]).toMatchObject({ fn: null, file: '/home/ann/flows/anon.ts', line: 7, column: 3, kind: 'user' });
  });

  it('sets user frames apart from library, engine, node and native frames', () => {
    expect(parsed.frames.map((f) => f.kind)).toEqual(['user', 'native', 'library', 'user', 'library', 'node', 'user', 'native']);
    expect(parsed.frames[2]).toMatchObject({ async: true, fn: 'runTask' });
    expect(parsed.frames[3]?.file).toBe('/home/ann/flows/main dir/etl.js');
  });

  it('ignores header lines and non-frames', () => {
    expect(parsed.frames).toHaveLength(8);
    expect(parseFrame('Error: boom')).toBeNull();
    expect(parseStack({ name: 'E', message: 'm' }).frames).toEqual([]);
  });

  it('groups consecutive library frames', () => {
    expect(groupFrames(parsed.frames).map((g) => `${g.kind}:${g.frames.length}`)).toEqual([
      'user:1',
      'other:2',
      'user:1',
      'other:2',
      'user:1',
      'other:1',
    ]);
  });

  it('unrolls the cause chain and survives cycles', () => {
    const root: ErrorData = { name: 'TypeError', message: 'x is undefined', stack: 'TypeError: x\n    at parse (/a/b.ts:1:2)' };
    const err: ErrorData = { name: 'Error', message: 'load failed', stack, cause: root };
    const chain = causeChain(err);
    expect(chain.map((e) => e.name)).toEqual(['Error', 'TypeError']);
    expect(chain[1]?.frames[0]).toMatchObject({ fn: 'parse', kind: 'user' });
    const cyc: ErrorData = { name: 'A', message: 'a' };
    cyc.cause = cyc;
    expect(causeChain(cyc)).toHaveLength(1);
    expect(tracebackText(err)).toContain('Caused by: TypeError: x is undefined');
  });

  it('shortens paths for display', () => {
    expect(shortFile('/home/ann/flows/node_modules/pg/lib/pool.js')).toBe('pg/lib/pool.js');
    expect(shortFile('/home/ann/flows/etl.ts')).toBe('…/ann/flows/etl.ts');
  });
});
