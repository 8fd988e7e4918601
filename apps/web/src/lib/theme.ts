/**
 * Theme (light / dark / system) and palette (standard / color-blind safe), persisted in
 * localStorage and applied as a class and a data attribute on <html>. index.html applies the saved
 * choice before first paint.
 */
import { useSyncExternalStore } from 'react';

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
export const PALETTES = ['standard', 'colorblind'] as const;
export type Palette = (typeof PALETTES)[number];

const THEME_KEY = 'flowlight.theme';
const PALETTE_KEY = 'flowlight.palette';

const read = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
  try {
    const v = localStorage.getItem(key);
    return v && (allowed as readonly string[]).includes(v) ? (v as T) : fallback;
  } catch {
    return fallback;
  }
};

let theme: Theme = typeof window === 'undefined' ? 'system' : read(THEME_KEY, THEMES, 'system');
let palette: Palette = typeof window === 'undefined' ? 'standard' : read(PALETTE_KEY, PALETTES, 'standard');
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((l) => l());

const media = typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

function apply() {
  if (typeof document === 'undefined') return;
  const dark = theme === 'dark' || (theme === 'system' && !!media?.matches);
  document.documentElement.classList.toggle('dark', dark);
  if (palette === 'colorblind') document.documentElement.dataset.palette = 'colorblind';
  else delete document.documentElement.dataset.palette;
}
media?.addEventListener('change', () => {
  apply();
  emit();
});

export function setTheme(t: Theme) {
  theme = t;
  try {
    localStorage.setItem(THEME_KEY, t);
  } catch {
    /* private mode: the choice lasts for the session */
  }
  apply();
  emit();
}
export function setPalette(p: Palette) {
  palette = p;
  try {
    localStorage.setItem(PALETTE_KEY, p);
  } catch {
    /* ignore */
  }
  apply();
  emit();
}

const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};
export const useTheme = () => useSyncExternalStore(subscribe, () => theme);
export const usePalette = () => useSyncExternalStore(subscribe, () => palette);
/** Whether dark colors are showing right now (for canvas drawing). */
export const useIsDark = () => useSyncExternalStore(subscribe, () => document.documentElement.classList.contains('dark'));
