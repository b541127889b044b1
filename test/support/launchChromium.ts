import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium package: playwright-core drives it, so no browser is downloaded. */
const CHROMIUM = '/usr/bin/chromium';

/** A headless chromium for the browser tests, without the sandbox (containers) or any background traffic. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
