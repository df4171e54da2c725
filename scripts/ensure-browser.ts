/**
 * `npm test` must pass on a fresh machine with no other set-up step: find a Chromium, or install one
 * (Playwright's download where the network allows it; Debian's `chromium` package when running as root on
 * Debian), and say what was done. Only when every way fails, stop with the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from '../e2e/browser.ts';

function run(command: string, args: string[]): boolean {
  console.log(`ensure-browser: running ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', timeout: 5 * 60_000 });
  return result.status === 0;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function main(): number {
  const found = findChromium();
  if (found) {
    console.log(`ensure-browser: using ${found}`);
    return 0;
  }
  console.log(
    'ensure-browser: no Chromium found (CHROMIUM_PATH, /usr/bin/chromium, or a Playwright browser).',
  );
  // Playwright's download gives up quickly where the network refuses it (as on our CI machines).
  if (run('npx', ['playwright', 'install', 'chromium']) && findChromium()) {
    console.log(`ensure-browser: installed Playwright's Chromium at ${findChromium() ?? '?'}`);
    return 0;
  }
  if (isRoot() && existsSync('/usr/bin/apt-get')) {
    if (
      run('apt-get', ['update']) &&
      run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])
    ) {
      const installed = findChromium();
      if (installed) {
        console.log(`ensure-browser: installed Debian's chromium at ${installed}`);
        return 0;
      }
    }
  }
  console.error(
    [
      'ensure-browser: could not find or install a Chromium for the end-to-end tests.',
      'Install one, then run npm test again:',
      '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium',
      '  elsewhere:      npx playwright install chromium',
      '  or point CHROMIUM_PATH at an existing Chrome/Chromium binary.',
    ].join('\n'),
  );
  return 1;
}

process.exitCode = main();
