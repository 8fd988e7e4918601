/** An error as a person reads it: name and message first, the user's frames set apart, causes below. */
import { useState } from 'react';
import type { ErrorData } from '@flowlight/schema';
import { causeChain, groupFrames, shortFile, tracebackText, type ParsedError, type StackFrame } from '../lib/traceback';
import { Icon } from './Icon';
import { Button } from './ui';
import { notify } from './Toaster';

function Frame({ f }: { f: StackFrame }) {
  const user = f.kind === 'user';
  return (
    <li className={`flex gap-2 px-3 py-0.5 font-mono text-[12px] ${user ? 'bg-st-failed/6' : ''}`} data-frame-kind={f.kind}>
      <span className={`min-w-0 truncate ${user ? 'font-semibold text-fg' : 'text-fg-muted'}`}>
        {f.async ? <span className="text-fg-subtle">async </span> : null}
        {f.fn ?? '<anonymous>'}
      </span>
      {f.file ? (
        <span className={`ml-auto shrink-0 truncate ${user ? 'text-accent' : 'text-fg-subtle'}`} title={`${f.file}${f.line !== null ? `:${f.line}:${f.column}` : ''}`}>
          {user ? f.file : shortFile(f.file)}
          {f.line !== null ? `:${f.line}:${f.column}` : ''}
        </span>
      ) : (
        <span className="ml-auto shrink-0 text-fg-subtle">{f.raw.replace(/^at /, '')}</span>
      )}
    </li>
  );
}

function OtherFrames({ frames }: { frames: StackFrame[] }) {
  const [open, setOpen] = useState(false);
  const kinds = [...new Set(frames.map((f) => (f.kind === 'node' ? 'node' : f.kind === 'native' ? 'native' : 'library')))].join(' / ');
  return (
    <li>
      <button type="button" aria-expanded={open} onClick={() => setOpen((o) => !o)} className="flex w-full items-center gap-1 px-3 py-0.5 text-left text-[12px] text-fg-subtle hover:bg-hover">
        <Icon name={open ? 'chevronDown' : 'chevronRight'} className="size-3" />
        {frames.length} {kinds} frame{frames.length === 1 ? '' : 's'}
      </button>
      {open ? (
        <ul>
          {frames.map((f, i) => (
            <Frame key={i} f={f} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function ErrorBlock({ e, caused }: { e: ParsedError; caused: boolean }) {
  return (
    <div className="overflow-hidden rounded-md border border-line">
      <div className="border-b border-line bg-st-failed/8 px-3 py-2">
        {caused ? <div className="mb-0.5 text-[11px] font-semibold tracking-wide text-fg-subtle uppercase">Caused by</div> : null}
        <div className="font-mono text-[13px]">
          <span className="font-semibold text-st-failed">{e.name}</span>
          <span className="text-fg-muted">: </span>
          <span className="whitespace-pre-wrap break-words text-fg" data-testid="error-message">
            {e.message}
          </span>
        </div>
      </div>
      {e.frames.length ? (
        <ul className="py-1" aria-label={`Stack of ${e.name}`}>
          {groupFrames(e.frames).map((g, i) => (g.kind === 'user' ? g.frames.map((f, j) => <Frame key={`${i}-${j}`} f={f} />) : <OtherFrames key={i} frames={g.frames} />))}
        </ul>
      ) : (
        <p className="px-3 py-2 text-xs text-fg-subtle">No stack trace was recorded.</p>
      )}
    </div>
  );
}

export function TracebackView({ error, title }: { error: ErrorData; title?: string }) {
  const chain = causeChain(error);
  return (
    <section className="flex flex-col gap-2" aria-label={title ?? 'Traceback'}>
      <div className="flex items-center gap-2">
        {title ? <h3 className="text-[13px] font-semibold">{title}</h3> : null}
        <Button
          size="sm"
          variant="ghost"
          icon="copy"
          className="ml-auto"
          aria-label="Copy traceback"
          onClick={() => void navigator.clipboard?.writeText(tracebackText(error)).then(() => notify('success', 'Traceback copied'))}
        >
          Copy
        </Button>
      </div>
      {chain.map((e, i) => (
        <ErrorBlock key={i} e={e} caused={i > 0} />
      ))}
    </section>
  );
}
