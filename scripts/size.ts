/**
 * `npm run size`: the JavaScript each page loads before it can do its job, gzip bytes, against its budget.
 * - launch.html: everything it loads (the launch page only authorises; budget 20 KB).
 * - index.html: the entry and its static imports, i.e. what must arrive before the first clinical value can be
 *   painted (lazy chunks such as the chart library and UCUM are excluded; budget 150 KB).
 * Reads the production build in dist/ (run `vite build` first). Exits 1 when a budget is exceeded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const DIST = process.env.DIST_DIR ?? 'dist';
const KB = 1000;
const BUDGETS: Record<string, number> = { 'launch.html': 20 * KB, 'index.html': 150 * KB };

/** Static imports of a built chunk (`import ... from "./x.js"` and bare `import "./x.js"`). */
function staticImports(code: string): string[] {
  const found = new Set<string>();
  for (const match of code.matchAll(
    /(?:^|[;\n}])\s*import\s*(?:[\w*${}\s,]+from\s*)?["'](\.\/[^"']+\.js)["']/g,
  )) {
    if (match[1]) found.add(match[1]);
  }
  return [...found];
}

export function pageScripts(dist: string, page: string): string[] {
  const html = readFileSync(join(dist, page), 'utf8');
  const queue = [
    ...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="\/?([^"]+\.js)"/g),
  ].flatMap((m) => (m[1] ? [m[1]] : []));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift();
    if (!file || seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(join(dist, file), 'utf8');
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const relative of staticImports(code)) queue.push(join(dir, relative));
  }
  return [...seen];
}

function gzipBytes(dist: string, file: string): number {
  return gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
}

function main(): number {
  if (!existsSync(join(DIST, 'launch.html'))) {
    console.error(`size: no build in ${DIST}/ — run \`npx vite build\` first`);
    return 1;
  }
  let failed = false;
  for (const [page, budget] of Object.entries(BUDGETS)) {
    const files = pageScripts(DIST, page);
    const sizes = files.map((file) => ({ file, bytes: gzipBytes(DIST, file) }));
    const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    const ok = total <= budget;
    failed ||= !ok;
    console.log(
      `${ok ? 'ok  ' : 'OVER'} ${page}: ${(total / KB).toFixed(1)} KB gzip of JavaScript (budget ${budget / KB} KB)`,
    );
    for (const { file, bytes } of sizes)
      console.log(`       ${(bytes / KB).toFixed(1).padStart(6)} KB  ${file}`);
  }
  return failed ? 1 : 0;
}

process.exitCode = main();
