/** Friendly generated run names, e.g. "amber-heron", for runs the engine or the API creates. */
const ADJECTIVES = ['amber', 'brave', 'calm', 'daring', 'eager', 'fancy', 'gentle', 'happy', 'icy', 'jolly', 'keen', 'lucky', 'mellow', 'nimble', 'olive', 'proud', 'quick', 'rapid', 'silver', 'tidy', 'vivid', 'witty', 'young', 'zesty'];
const ANIMALS = ['antelope', 'badger', 'cheetah', 'dolphin', 'eagle', 'falcon', 'gecko', 'heron', 'ibis', 'jaguar', 'koala', 'lemur', 'marmot', 'narwhal', 'otter', 'panda', 'quail', 'raven', 'salmon', 'tapir', 'urchin', 'vole', 'walrus', 'yak', 'zebra'];
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
export const generateRunName = (): string => `${pick(ADJECTIVES)}-${pick(ANIMALS)}`;
