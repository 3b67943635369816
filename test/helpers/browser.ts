/**
 * Debian's Chromium driven by playwright-core (the npm package brings no browser of its own):
 * headless, sandbox off (root in containers), no network services of its own, each launch with a
 * fresh profile (playwright makes a temporary user-data-dir per launch and removes it).
 */
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000 });
}
