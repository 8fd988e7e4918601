/** One shared clock tick for everything that shows elapsed time (durations of running runs). */
import { useSyncExternalStore } from 'react';

let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

const subscribe = (l: () => void) => {
  listeners.add(l);
  if (!timer) {
    timer = setInterval(() => {
      now = Date.now();
      listeners.forEach((fn) => fn());
    }, 1000);
  }
  return () => {
    listeners.delete(l);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
};

/** Current time, re-rendering once a second while `active`. */
export function useNow(active = true): number {
  const ticking = useSyncExternalStore(active ? subscribe : noop, () => (active ? now : 0));
  return active ? ticking : Date.now();
}
const noop = () => () => {};
