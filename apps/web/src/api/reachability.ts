/** Whether the last request reached the API: a tiny external store for useSyncExternalStore. */
type Listener = () => void;
let reachable = true;
const listeners = new Set<Listener>();

export const reachability = {
  get: (): boolean => reachable,
  set(value: boolean): void {
    if (value === reachable) return;
    reachable = value;
    for (const l of listeners) l();
  },
  subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
};
