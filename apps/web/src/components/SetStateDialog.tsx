/** Choose a terminal state (and a message) to force on one or many runs. */
import { useState } from 'react';
import { setStateBodySchema, type SetStateBody } from '@flowlight/schema';
import { Modal } from './Dialog';
import { Button } from './ui';
import { StateBadge } from './StateBadge';

const TARGETS = setStateBodySchema.shape.type.options;

export function SetStateDialog({ open, count, onClose, onSubmit }: { open: boolean; count: number; onClose: () => void; onSubmit: (body: SetStateBody) => void }) {
  const [type, setType] = useState<SetStateBody['type']>('COMPLETED');
  const [message, setMessage] = useState('');
  return (
    <Modal
      open={open}
      title={count === 1 ? 'Set the state of this run' : `Set the state of ${count} runs`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Keep it</Button>
          <Button
            variant="primary"
            onClick={() => {
              onSubmit(message.trim() ? { type, message: message.trim() } : { type });
              setMessage('');
            }}
          >
            Set state
          </Button>
        </>
      }
    >
      <p className="mb-3">Forces a final state. A running flow is not stopped by this; use Cancel for that.</p>
      <fieldset className="mb-3 flex flex-wrap gap-2">
        <legend className="sr-only">New state</legend>
        {TARGETS.map((t) => (
          <label key={t} className={`flex cursor-pointer items-center gap-1.5 rounded-md border px-1.5 py-1 ${type === t ? 'border-accent' : 'border-line'}`}>
            <input type="radio" name="set-state-type" value={t} checked={type === t} onChange={() => setType(t)} className="sr-only" />
            <StateBadge state={{ type: t, name: ({ COMPLETED: 'Completed', FAILED: 'Failed', CRASHED: 'Crashed', CANCELLED: 'Cancelled' } as const)[t] }} size="sm" />
          </label>
        ))}
      </fieldset>
      <label className="flex flex-col gap-1 text-xs text-fg-muted">
        Message (optional)
        <input
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          maxLength={2000}
          className="h-8 rounded-md border border-line-strong bg-canvas px-2 text-[13px] text-fg"
          placeholder="Why, for the state history"
        />
      </label>
    </Modal>
  );
}
