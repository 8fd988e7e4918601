import { FakeClock, MemoryReporter, clearTaskCache, configure } from '../src/index.js';

/** A fresh recording sink and virtual clock for each test. */
export function setup() {
  const reporter = new MemoryReporter();
  const clock = new FakeClock();
  configure({ reporter, clock, printLogs: false });
  clearTaskCache();
  return { reporter, clock };
}
