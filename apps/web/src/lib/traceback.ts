/**
 * Reads a V8 stack (as carried in ErrorData.stack) into frames a person can scan: the user's own
 * code set apart from library, engine and Node internals, and the `cause` chain unrolled.
 */
import type { ErrorData } from '@flowlight/schema';

export const FrameKind = { user: 'user', library: 'library', node: 'node', native: 'native' } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export interface StackFrame {
  raw: string;
  fn: string | null;
  file: string | null;
  line: number | null;
  column: number | null;
  async: boolean;
  kind: FrameKind;
}

export interface ParsedError {
  name: string;
  message: string;
  frames: StackFrame[];
  /** Stack lines that are neither the header nor a frame (e.g. util.inspect extras). */
  extra: string[];
}

/** Files that belong to the orchestrator itself rather than to the user's flow. */
const ENGINE_PATH = /(?:^|[/\\])(?:packages[/\\]engine|@flowlight[/\\](?:engine|schema))[/\\]/;

export function frameKind(file: string | null): FrameKind {
  if (file === null || file === 'native' || file === '<anonymous>') return 'native';
  if (file.startsWith('node:') || file.startsWith('internal/')) return 'node';
  if (/[/\\]node_modules[/\\]/.test(file) || ENGINE_PATH.test(file)) return 'library';
  return 'user';
}

const LOCATION = /^(.*?):(\d+):(\d+)$/;
const FRAME = /^\s*at\s+(.*)$/;

function parseLocation(loc: string): { file: string; line: number | null; column: number | null } {
  const m = LOCATION.exec(loc);
  if (!m) return { file: loc, line: null, column: null };
  return { file: m[1] ?? loc, line: Number(m[2]), column: Number(m[3]) };
}

/** One `    at …` line, or null when the line is not a frame. */
export function parseFrame(lineText: string): StackFrame | null {
  const m = FRAME.exec(lineText);
  if (!m) return null;
  let body = (m[1] ?? '').trim();
  let isAsync = false;
  if (body.startsWith('async ')) {
    isAsync = true;
    body = body.slice(6);
  }
  let fn: string | null = null;
  let loc: string;
  // "fn (location)" — the location is the last parenthesised group.
  const paren = /^(.*?) \((.*)\)$/.exec(body);
  if (paren) {
    fn = paren[1] ?? null;
    loc = paren[2] ?? '';
  } else {
    loc = body;
  }
  // "Promise.all (index 0)" style frames carry no file.
  if (/^index \d+$/.test(loc)) {
    return { raw: lineText.trim(), fn, file: null, line: null, column: null, async: isAsync, kind: 'native' };
  }
  if (/^eval at /.test(loc)) loc = loc.replace(/^eval at .*?, /, '');
  const { file, line, column } = parseLocation(loc);
  const cleanFile = file.startsWith('file://') ? decodeURIComponent(file.slice(7)) : file;
  return { raw: lineText.trim(), fn, file: cleanFile, line, column, async: isAsync, kind: frameKind(cleanFile) };
}

export function parseStack(err: Pick<ErrorData, 'name' | 'message' | 'stack'>): ParsedError {
  const frames: StackFrame[] = [];
  const extra: string[] = [];
  if (err.stack) {
    const lines = err.stack.split(/\r?\n/);
    let inFrames = false;
    for (const l of lines) {
      const f = parseFrame(l);
      if (f) {
        frames.push(f);
        inFrames = true;
      } else if (inFrames && l.trim()) {
        extra.push(l);
      }
    }
  }
  return { name: err.name, message: err.message, frames, extra };
}

/** The error and its causes, outermost first; stops on cycles and after a sane depth. */
export function causeChain(err: ErrorData, maxDepth = 20): ParsedError[] {
  const out: ParsedError[] = [];
  const seen = new Set<ErrorData>();
  let cur: ErrorData | undefined = err;
  while (cur && !seen.has(cur) && out.length < maxDepth) {
    seen.add(cur);
    out.push(parseStack(cur));
    cur = cur.cause;
  }
  return out;
}

/** Groups consecutive non-user frames so the user's frames stand out. */
export type FrameGroup = { kind: 'user'; frames: StackFrame[] } | { kind: 'other'; frames: StackFrame[] };
export function groupFrames(frames: StackFrame[]): FrameGroup[] {
  const groups: FrameGroup[] = [];
  for (const f of frames) {
    const kind = f.kind === 'user' ? 'user' : 'other';
    const last = groups.at(-1);
    if (last && last.kind === kind) last.frames.push(f);
    else groups.push({ kind, frames: [f] });
  }
  return groups;
}

/** Plain text of the whole chain, for the copy button. */
export function tracebackText(err: ErrorData): string {
  const parts: string[] = [];
  causeChain(err).forEach((e, i) => {
    const head = `${i ? 'Caused by: ' : ''}${e.name}: ${e.message}`;
    parts.push([head, ...e.frames.map((f) => `    ${f.raw}`)].join('\n'));
  });
  return parts.join('\n');
}

/** Short file path for display: from the last node_modules package, or the last three segments. */
export function shortFile(file: string): string {
  const nm = file.lastIndexOf('node_modules/');
  if (nm >= 0) return file.slice(nm + 'node_modules/'.length);
  const segs = file.split(/[/\\]/);
  return segs.length > 3 ? `…/${segs.slice(-3).join('/')}` : file;
}
