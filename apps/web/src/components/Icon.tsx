/** A small stroke icon set (16×16), for states and UI. Decorative unless given a title. */
import type { StateIcon } from '../lib/state-style';

const PATHS = {
  check: 'M3.5 8.5l3 3 6-7',
  'check-double': 'M1.5 8.5l3 3 6-7M7.5 11.5l6-7',
  x: 'M4.5 4.5l7 7M11.5 4.5l-7 7',
  timer: 'M8 5v3.5l2 1.5M6 1.5h4M8 15a6 6 0 1 0 0-12 6 6 0 0 0 0 12z',
  bolt: 'M9 1.5L3.5 9H8l-1 5.5L12.5 7H8z',
  play: 'M5 3.5v9l7.5-4.5z',
  retry: 'M13 8a5 5 0 1 1-1.6-3.7M13 2.5v3h-3',
  pause: 'M5.5 3.5v9M10.5 3.5v9',
  clock: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM8 4.5V8l2.5 1.5',
  'clock-alert': 'M7 14.4A6.5 6.5 0 1 1 14.4 7M8 4.5V8l2 1.2M13 10v2.5M13 14.5v.01',
  queue: 'M2.5 4.5h11M2.5 8h11M2.5 11.5h6',
  dots: 'M3.5 8h.01M8 8h.01M12.5 8h.01',
  ban: 'M8 14.5a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13zM3.5 3.5l9 9',
  stop: 'M4.5 4.5h7v7h-7z',
  // UI
  search: 'M7 12.5a5.5 5.5 0 1 0 0-11 5.5 5.5 0 0 0 0 11zM11 11l3.5 3.5',
  copy: 'M5.5 5.5h8v8h-8zM2.5 10.5v-8h8',
  download: 'M8 2v8.5M4.5 7L8 10.5 11.5 7M2.5 13.5h11',
  trash: 'M2.5 4.5h11M6 4.5V2.5h4v2M4 4.5l.7 9h6.6l.7-9',
  chevronRight: 'M6 3.5L10.5 8 6 12.5',
  chevronDown: 'M3.5 6L8 10.5 12.5 6',
  sun: 'M8 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 10A6 6 0 0 1 6 2.5 6 6 0 1 0 13.5 10z',
  monitor: 'M1.5 2.5h13v9h-13zM5.5 14.5h5M8 11.5v3',
  eye: 'M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5zM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z',
  refresh: 'M13.5 8A5.5 5.5 0 1 1 12 4.2M13.5 2v3h-3',
  filter: 'M1.5 2.5h13l-5 6v5l-3 1.5v-6.5z',
  arrowDown: 'M8 2.5v11M3.5 9L8 13.5 12.5 9',
  external: 'M9.5 2.5h4v4M13.5 2.5L7 9M11.5 9.5v4h-9v-9h4',
  plug: 'M5.5 1.5v4M10.5 1.5v4M3.5 5.5h9v2a4.5 4.5 0 0 1-9 0zM8 12v2.5',
  flow: 'M2.5 3.5h4v3h-4zM9.5 9.5h4v3h-4zM4.5 6.5v3.5h5',
  home: 'M2 7.5L8 2.5l6 5M3.5 6.5v7h9v-7',
  list: 'M5.5 4h8M5.5 8h8M5.5 12h8M2.5 4h.01M2.5 8h.01M2.5 12h.01',
  close: 'M4 4l8 8M12 4l-8 8',
} as const satisfies Record<StateIcon | string, string>;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className = 'size-3.5', title, spin }: { name: IconName; className?: string; title?: string; spin?: boolean }) {
  const filled = name === 'play' || name === 'bolt' || name === 'stop';
  return (
    <svg
      viewBox="0 0 16 16"
      className={`${className} shrink-0 ${spin ? 'fl-spin' : ''}`}
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={name === 'dots' ? 2.6 : 1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      <path d={PATHS[name]} />
    </svg>
  );
}
