/**
 * How Flowlight's browser tests and benchmarks launch Chromium: Debian's /usr/bin/chromium (no
 * browser download works here) with the flags a closed, headless, root sandbox needs.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.FLOWLIGHT_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
};
