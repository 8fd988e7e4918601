/**
 * What each state looks like, in one place. Color follows the state type, except the retry names
 * (Retrying, AwaitingRetry), which are yellow whatever their type (ARCHITECTURE §2). Every table
 * is `satisfies Record<…>` so a new state type or tone breaks the build here, not in a page.
 */
import { DEFAULT_NAME, TYPE_OF_NAME, type StateName, type StateType } from '@flowlight/schema';

/** Named color roles; each is a CSS variable per theme and palette (see index.css). */
export const Tone = {
  completed: 'completed',
  failed: 'failed',
  crashed: 'crashed',
  running: 'running',
  waiting: 'waiting',
  scheduled: 'scheduled',
  neutral: 'neutral',
  cancelling: 'cancelling',
} as const;
export type Tone = (typeof Tone)[keyof typeof Tone];

/** The plain color each tone stands for, as the product spec names it. */
export const TONE_COLOR_NAME = {
  completed: 'green',
  failed: 'red',
  crashed: 'orange',
  running: 'blue',
  waiting: 'yellow',
  scheduled: 'amber',
  neutral: 'grey',
  cancelling: 'slate',
} as const satisfies Record<Tone, string>;

export type StateIcon =
  | 'check'
  | 'check-double'
  | 'x'
  | 'timer'
  | 'bolt'
  | 'play'
  | 'retry'
  | 'pause'
  | 'clock'
  | 'clock-alert'
  | 'queue'
  | 'dots'
  | 'ban'
  | 'stop';

export interface StateStyle {
  tone: Tone;
  icon: StateIcon;
}

export const STATE_TYPE_STYLE = {
  SCHEDULED: { tone: 'scheduled', icon: 'clock' },
  PENDING: { tone: 'neutral', icon: 'dots' },
  RUNNING: { tone: 'running', icon: 'play' },
  PAUSED: { tone: 'waiting', icon: 'pause' },
  COMPLETED: { tone: 'completed', icon: 'check' },
  FAILED: { tone: 'failed', icon: 'x' },
  CRASHED: { tone: 'crashed', icon: 'bolt' },
  CANCELLING: { tone: 'cancelling', icon: 'stop' },
  CANCELLED: { tone: 'neutral', icon: 'ban' },
} as const satisfies Record<StateType, StateStyle>;

/** Names that look different from their type's default. */
export const STATE_NAME_OVERRIDE = {
  Retrying: { tone: 'waiting', icon: 'retry' },
  AwaitingRetry: { tone: 'waiting', icon: 'retry' },
  Late: { icon: 'clock-alert' },
  AwaitingConcurrencySlot: { icon: 'queue' },
  Cached: { icon: 'check-double' },
  TimedOut: { icon: 'timer' },
} as const satisfies Partial<Record<StateName, Partial<StateStyle>>>;

/** What a person reads on the badge. */
export const STATE_NAME_LABEL = {
  Scheduled: 'Scheduled',
  Late: 'Late',
  AwaitingRetry: 'Awaiting retry',
  AwaitingConcurrencySlot: 'Awaiting slot',
  Pending: 'Pending',
  Running: 'Running',
  Retrying: 'Retrying',
  Paused: 'Paused',
  Suspended: 'Suspended',
  Completed: 'Completed',
  Cached: 'Cached',
  Failed: 'Failed',
  TimedOut: 'Timed out',
  Crashed: 'Crashed',
  Cancelling: 'Cancelling',
  Cancelled: 'Cancelled',
} as const satisfies Record<StateName, string>;

/** What a state type is called: its default state name (Running, Failed, …). */
export const STATE_TYPE_LABEL: Readonly<Record<StateType, string>> = DEFAULT_NAME;

/** Full class names (Tailwind must see them literally). */
export const TONE_CLASS = {
  completed: { text: 'text-st-completed', bg: 'bg-st-completed', fill: 'fill-st-completed', soft: 'bg-st-completed/12', ring: 'border-st-completed/35' },
  failed: { text: 'text-st-failed', bg: 'bg-st-failed', fill: 'fill-st-failed', soft: 'bg-st-failed/12', ring: 'border-st-failed/35' },
  crashed: { text: 'text-st-crashed', bg: 'bg-st-crashed', fill: 'fill-st-crashed', soft: 'bg-st-crashed/12', ring: 'border-st-crashed/35' },
  running: { text: 'text-st-running', bg: 'bg-st-running', fill: 'fill-st-running', soft: 'bg-st-running/12', ring: 'border-st-running/35' },
  waiting: { text: 'text-st-waiting', bg: 'bg-st-waiting', fill: 'fill-st-waiting', soft: 'bg-st-waiting/15', ring: 'border-st-waiting/45' },
  scheduled: { text: 'text-st-scheduled', bg: 'bg-st-scheduled', fill: 'fill-st-scheduled', soft: 'bg-st-scheduled/12', ring: 'border-st-scheduled/40' },
  neutral: { text: 'text-st-neutral', bg: 'bg-st-neutral', fill: 'fill-st-neutral', soft: 'bg-st-neutral/14', ring: 'border-st-neutral/40' },
  cancelling: { text: 'text-st-cancelling', bg: 'bg-st-cancelling', fill: 'fill-st-cancelling', soft: 'bg-st-cancelling/14', ring: 'border-st-cancelling/40' },
} as const satisfies Record<Tone, { text: string; bg: string; fill: string; soft: string; ring: string }>;

/** CSS variable of a tone, for canvas and SVG drawing. */
export const toneVar = (tone: Tone): string => `--fl-st-${tone}`;

export interface ResolvedStateStyle extends StateStyle {
  label: string;
  classes: (typeof TONE_CLASS)[Tone];
}

/** The look of a state: its type's style, with the name's override on top. */
export function stateStyle(state: { type: StateType; name?: StateName | undefined }): ResolvedStateStyle {
  const base: StateStyle = STATE_TYPE_STYLE[state.type];
  // A name that does not belong to the type (bad data) is ignored rather than trusted.
  const name = state.name && TYPE_OF_NAME[state.name] === state.type ? state.name : undefined;
  const over: Partial<StateStyle> = name && name in STATE_NAME_OVERRIDE ? STATE_NAME_OVERRIDE[name as keyof typeof STATE_NAME_OVERRIDE] : {};
  const tone = over.tone ?? base.tone;
  return {
    tone,
    icon: over.icon ?? base.icon,
    label: name ? STATE_NAME_LABEL[name] : STATE_TYPE_LABEL[state.type],
    classes: TONE_CLASS[tone],
  };
}

/** Order of types in chips, charts and strips: what needs attention first. */
export const STATE_TYPE_ORDER = [
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CRASHED',
  'PAUSED',
  'SCHEDULED',
  'PENDING',
  'CANCELLING',
  'CANCELLED',
] as const satisfies readonly StateType[];
