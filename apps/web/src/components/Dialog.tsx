/** A modal dialog (focus trapped by <dialog>), and a promise-based confirmation on top of it. */
import { createContext, useCallback, useContext, useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button } from './ui';

export function Modal({ open, title, onClose, children, footer }: { open: boolean; title: string; onClose: () => void; children: ReactNode; footer: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      className="m-auto w-[min(460px,92vw)] rounded-xl border border-line bg-panel p-0 text-fg shadow-2xl backdrop:bg-black/40"
    >
      {open ? (
        <div className="flex flex-col">
          <h2 id={titleId} className="px-4 pt-4 text-sm font-semibold">
            {title}
          </h2>
          <div className="px-4 py-3 text-[13px] text-fg-muted">{children}</div>
          <div className="flex justify-end gap-2 border-t border-line px-4 py-3">{footer}</div>
        </div>
      ) : null}
    </dialog>
  );
}

interface ConfirmRequest {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
}
type Confirm = (req: ConfirmRequest) => Promise<boolean>;
const ConfirmContext = createContext<Confirm | null>(null);

export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [req, setReq] = useState<(ConfirmRequest & { resolve: (ok: boolean) => void }) | null>(null);
  const confirm = useCallback<Confirm>((r) => new Promise((resolve) => setReq({ ...r, resolve })), []);
  const close = (ok: boolean) => {
    req?.resolve(ok);
    setReq(null);
  };
  return (
    <ConfirmContext.Provider value={confirm}>
      {children}
      <Modal
        open={req !== null}
        title={req?.title ?? ''}
        onClose={() => close(false)}
        footer={
          <>
            <Button onClick={() => close(false)}>Keep it</Button>
            <Button variant={req?.danger ? 'danger' : 'primary'} onClick={() => close(true)} autoFocus>
              {req?.confirmLabel ?? 'Confirm'}
            </Button>
          </>
        }
      >
        {req?.body}
      </Modal>
    </ConfirmContext.Provider>
  );
}

export function useConfirm(): Confirm {
  const c = useContext(ConfirmContext);
  if (!c) throw new Error('useConfirm outside ConfirmProvider');
  return c;
}
