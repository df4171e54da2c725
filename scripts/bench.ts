/**
 * `npm run bench`: MOVO-X measured in Chromium through the real EHR launch (issue 4, "Performance").
 *
 * Setup, loopback only: the production build (rebuilt when dist/ is missing or older than its inputs; `--build`
 * forces it) served by scripts/preview-server.ts, the sandbox EHR, and a delay proxy (scripts/delay-proxy.ts) in
 * front of EACH: the browser only talks to the proxies. The sandbox builds its URLs (iss, authorize and token
 * endpoints, next links) from the Host header, which the proxy keeps, so every request of the launch, every
 * redirect and every CORS preflight goes through a proxy. The app is registered with the sandbox under its proxied
 * origin, and the sandbox with the app under its proxied issuer.
 *
 * Each scenario (heavy and typical patient × no added latency and +100 ms per request) runs REPS times (default 3,
 * env BENCH_REPS) in a fresh browser profile (allowing third-party storage, as e2e/fixtures.ts does), and the
 * medians are reported. "No added latency" is the same proxies with a 0 ms hold (about 1 ms per request on
 * loopback), so that the difference to +100 ms is the latency alone: (T(+100) − T(0)) / 100 ms ≈ serial round
 * trips on the critical path.
 *
 * Measured per run:
 * - t0: just before the chart page is opened (`/ehr/chart`, which embeds the launch in `iframe[title="MOVO-X"]`);
 * - first vital sign: an init script in the app's cross-site frame watches the DOM; the time is taken after the
 *   frame that first shows a `.obs-card__value` (requestAnimationFrame, then a task);
 * - whole history: the load-progress text (`.obs-progress`) is gone and cards are shown;
 * - requests and preflights: the proxies' logs (Playwright does not report preflights);
 * - longest task: a `longtask` PerformanceObserver installed by `context.addInitScript` in the app's documents,
 *   during loading and while opening the blood-pressure detail and going back;
 * - heap: CDP `Runtime.getHeapUsage` on the app frame's own (out-of-process) session;
 * - JavaScript before the first value: the `.js` files the app proxy served before it, gzip -9 of dist/.
 *
 * Results: a table and the issue's targets on stdout, JSON in bench-results/latest.json. Bounded: every wait has a
 * timeout and a watchdog ends the process.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from '@playwright/test';
import { build } from 'vite';
import { sandboxRegistrations } from '../config/sandbox-registrations.ts';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser.ts';
import { allowThirdPartyStorage } from '../e2e/fixtures.ts';
import { freePort } from '../e2e/ports.ts';
import { startSandbox } from '../sandbox/server.ts';
import {
  chainAroundToken,
  evaluateTargets,
  formatRequests,
  gzipSize,
  isFhir,
  isObservationSearch,
  isPreflight,
  markdownTable,
  MB,
  medianRun,
  minimum,
  newestMtime,
  pathOf,
  relativeRequests,
  roundTrips,
  serialChain,
  summarise,
  type PatientFigures,
  type RunResult,
  type TimedRequest,
} from './bench-lib.ts';
import { now, startDelayProxy, type DelayProxy } from './delay-proxy.ts';
import { startPreview } from './preview-server.ts';

const DIST = 'dist';
const BUILD_INPUTS = [
  'src',
  'index.html',
  'launch.html',
  'public',
  'vite.config.ts',
  'config',
  'tools',
  'package-lock.json',
];
const HEAVY = 'patient-heavy';
const PATIENTS = [HEAVY, 'patient-adult-1'];
const DELAYS = [0, 100] as const;
const ADDED = 100;
const REPS = Math.max(1, Math.min(9, Number(process.env.BENCH_REPS ?? 3)));
const FIRST_VITAL_TIMEOUT_MS = 20_000;
const COMPLETE_TIMEOUT_MS = 60_000;
const SETTLE_MS = 400;
const WATCHDOG_MS = 8 * 60_000;

interface Mark {
  readonly kind: string;
  readonly doc: string;
  readonly at?: number;
  readonly raf?: number;
  readonly paint?: number;
  readonly start?: number;
  readonly duration?: number;
  readonly text?: string;
  readonly progress?: string;
  readonly ok?: boolean;
  readonly error?: string;
}

interface Environment {
  /** A private copy of dist/ (others may rebuild dist/ while the benchmark runs). */
  readonly dist: string;
  readonly appOrigin: string;
  readonly ehrProxy: DelayProxy;
  readonly appProxy: DelayProxy;
  readonly observationTotals: ReadonlyMap<string, number>;
  readonly gzipCache: Map<string, number>;
}

/**
 * Runs in every document of every frame (Playwright installs init scripts in out-of-process iframes too) and
 * reports, in the app's documents only, long tasks and the moments the first vital value and the whole history
 * appear. A plain string: a serialised function would carry the TypeScript loader's helpers.
 */
function initScript(appOrigin: string): string {
  return `(() => {
  if (location.origin !== ${JSON.stringify(appOrigin)}) return;
  const clock = () => performance.timeOrigin + performance.now();
  const queue = [];
  let timer = 0;
  const flush = () => {
    timer = 0;
    const binding = window.__benchMark;
    if (typeof binding !== 'function') { timer = setTimeout(flush, 5); return; }
    while (queue.length > 0) binding(queue.shift());
  };
  const send = (mark) => {
    mark.doc = location.pathname;
    queue.push(JSON.stringify(mark));
    if (!timer) flush();
  };
  const afterPaint = (callback) =>
    requestAnimationFrame(() => { const raf = clock(); setTimeout(() => callback(raf, clock()), 0); });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        send({ kind: 'longtask', start: performance.timeOrigin + entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    send({ kind: 'observer', ok: true });
  } catch (error) {
    send({ kind: 'observer', ok: false, error: String(error) });
  }
  let first = false;
  let complete = false;
  let progress = '';
  const check = () => {
    const value = document.querySelector('.obs-card__value');
    const bar = document.querySelector('.obs-progress');
    if (bar) progress = bar.textContent || '';
    if (!first && value && (value.textContent || '').trim() !== '') {
      first = true;
      const at = clock();
      const card = value.closest('.obs-card');
      const text = Array.from(card ? card.children : [value]).map((node) => node.textContent).join(' ');
      afterPaint((raf, paint) => send({ kind: 'first-vital', at, raf, paint, text }));
    }
    if (first && !complete && !bar && !document.querySelector('.obs-panel [role=alert]')) {
      complete = true;
      const at = clock();
      afterPaint((raf, paint) => send({ kind: 'complete', at, raf, paint, progress }));
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
})();`;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms);
  });

async function waitForMark(
  marks: readonly Mark[],
  kind: string,
  timeoutMs: number,
): Promise<Mark | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const mark = marks.find((m) => m.kind === kind && m.doc === '/index.html');
    if (mark) return mark;
    await sleep(10);
  }
  return undefined;
}

function ensureBuild(force: boolean): Promise<string> {
  const built = join(DIST, 'index.html');
  const reason = force
    ? '--build given'
    : !existsSync(built) || !existsSync(join(DIST, 'launch.html'))
      ? 'dist/ is missing'
      : statSync(built).mtimeMs < newestMtime(BUILD_INPUTS)
        ? 'dist/ is older than its sources'
        : undefined;
  if (reason === undefined) return Promise.resolve('dist/ is up to date: not rebuilt');
  const started = Date.now();
  return build({ logLevel: 'warn' }).then(() => `built (${reason}) in ${Date.now() - started} ms`);
}

/** Files an HTML entry references (scripts, module preloads, stylesheets). */
function referencedAssets(dir: string, page: string): string[] {
  const html = readFileSync(join(dir, page), 'utf8');
  return [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+)"/g)].flatMap((m) => (m[1] ? [m[1]] : []));
}

/**
 * Copies dist/ (without source maps) to a temporary directory that the preview server serves and the gzip sizes
 * are read from: another engineer's `vite build` replaces dist/assets/* while the benchmark runs otherwise.
 */
async function snapshotDist(): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), 'movo-x-bench-dist-'));
    try {
      cpSync(DIST, dir, { recursive: true, filter: (source) => !source.endsWith('.map') });
      const missing = ['index.html', 'launch.html']
        .flatMap((page) => referencedAssets(dir, page))
        .filter((file) => !existsSync(join(dir, file)));
      if (missing.length === 0) return dir;
      throw new Error(`incomplete copy of dist/ (missing ${missing.join(', ')})`);
    } catch (error) {
      rmSync(dir, { recursive: true, force: true });
      if (attempt >= 3) throw error;
      await sleep(3000);
    }
  }
}

async function observationTotals(sandboxOrigin: string): Promise<Map<string, number>> {
  const tokenResponse = await fetch(`${sandboxOrigin}/ehr/test-token`, { method: 'POST' });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const totals = new Map<string, number>();
  for (const patient of PATIENTS) {
    const response = await fetch(
      `${sandboxOrigin}/fhir/Observation?patient=${encodeURIComponent(patient)}&_summary=count`,
      { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } },
    );
    const bundle = (await response.json()) as { total?: number };
    if (typeof bundle.total === 'number') totals.set(patient, bundle.total);
  }
  return totals;
}

function chartUrl(env: Environment, patient: string): string {
  const params = new URLSearchParams({
    client_id: 'movo-x',
    patient,
    practitioner: 'practitioner-1',
    app_origin: env.appOrigin,
  });
  return `${env.ehrProxy.origin}/ehr/chart?${params.toString()}`;
}

async function launchBrowser(profile: string): Promise<BrowserContext> {
  allowThirdPartyStorage(profile);
  return chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
}

async function heapOfAppFrame(
  context: BrowserContext,
  env: Environment,
  problems: string[],
): Promise<{ used?: number; afterGc?: number; oopif: boolean }> {
  const page = context.pages()[0];
  const frame = page?.frames().find((f) => f.url().startsWith(`${env.appOrigin}/index.html`));
  if (!frame) {
    problems.push('app frame not found for the heap');
    return { oopif: false };
  }
  try {
    const session = await context.newCDPSession(frame);
    const used = (await session.send('Runtime.getHeapUsage')).usedSize / MB;
    await session.send('HeapProfiler.collectGarbage');
    const afterGc = (await session.send('Runtime.getHeapUsage')).usedSize / MB;
    await session.detach();
    return { used, afterGc, oopif: true };
  } catch (error) {
    problems.push(`no CDP session of its own for the app frame (${String(error).split('\n')[0] ?? ''})`);
    const used = await frame.evaluate(
      () =>
        (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ??
        Number.NaN,
    );
    return { used: used / MB, oopif: false };
  }
}

async function switchViews(
  context: BrowserContext,
  problems: string[],
): Promise<{ start: number; detailShown: number; back: number; end: number }> {
  const page = context.pages()[0];
  if (!page) throw new Error('no page');
  const app = page.frameLocator('iframe[title="MOVO-X"]');
  const start = now();
  await app
    .locator('.obs-card__label', { hasText: /^Blood pressure$/ })
    .first()
    .click({ timeout: 10_000 });
  await app.locator('.obs-back').waitFor({ timeout: 15_000 });
  await app
    .locator('.recharts-surface')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => problems.push('the detail view showed no chart within 15 s'));
  const detailShown = now();
  await sleep(300);
  const back = now();
  await app.locator('.obs-back').click({ timeout: 10_000 });
  await app.locator('.obs-card__value').first().waitFor({ timeout: 15_000 });
  return { start, detailShown, back, end: now() };
}

function longest(marks: readonly Mark[], from: number, to: number): { max?: number; count: number } {
  const tasks = marks.filter(
    (m) => m.kind === 'longtask' && m.start !== undefined && m.start >= from && m.start <= to,
  );
  const durations = tasks.map((m) => m.duration ?? 0);
  return {
    ...(durations.length > 0 ? { max: Math.max(...durations) } : { max: 0 }),
    count: durations.length,
  };
}

async function runOnce(env: Environment, patient: string, delayMs: number, rep: number): Promise<RunResult> {
  const problems: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'movo-x-bench-'));
  const context = await launchBrowser(profile);
  try {
    const marks: Mark[] = [];
    await context.exposeBinding('__benchMark', (_source, payload: unknown) => {
      if (typeof payload === 'string') marks.push(JSON.parse(payload) as Mark);
    });
    await context.addInitScript({ content: initScript(env.appOrigin) });
    const page = context.pages()[0] ?? (await context.newPage());
    env.ehrProxy.setDelay(delayMs);
    env.appProxy.setDelay(delayMs);
    env.ehrProxy.clearLog();
    env.appProxy.clearLog();

    const t0 = now();
    await page.goto(chartUrl(env, patient), { waitUntil: 'commit', timeout: 15_000 });
    const first = await waitForMark(marks, 'first-vital', FIRST_VITAL_TIMEOUT_MS);
    if (!first) problems.push(`no vital sign within ${FIRST_VITAL_TIMEOUT_MS / 1000} s`);
    const complete = first ? await waitForMark(marks, 'complete', COMPLETE_TIMEOUT_MS) : undefined;
    if (first && !complete) problems.push(`history not complete within ${COMPLETE_TIMEOUT_MS / 1000} s`);
    await sleep(SETTLE_MS);

    const firstAbs = first?.paint;
    const completeAbs = complete?.paint;
    const loading = relativeRequests([...env.ehrProxy.log, ...env.appProxy.log], t0);
    const firstVitalMs = firstAbs === undefined ? undefined : firstAbs - t0;
    const completeMs = completeAbs === undefined ? undefined : completeAbs - t0;
    if (completeMs !== undefined && loading.some((r) => isObservationSearch(r) && r.start > completeMs)) {
      problems.push('an Observation search started after the history looked complete');
    }
    for (const request of loading) {
      if (request.status !== undefined && request.status >= 400)
        problems.push(`HTTP ${request.status} for ${request.method} ${request.path}`);
    }

    const heap = await heapOfAppFrame(context, env, problems);
    const loadingTasks = longest(marks, t0, (completeAbs ?? now()) + SETTLE_MS);

    let switching: Awaited<ReturnType<typeof switchViews>> | undefined;
    if (complete) {
      try {
        switching = await switchViews(context, problems);
        await sleep(300);
      } catch (error) {
        problems.push(`switching views failed: ${String(error).split('\n')[0] ?? ''}`);
      }
    }
    const switchTasks = switching ? longest(marks, switching.start, switching.end + 300) : undefined;
    const openTasks = switching ? longest(marks, switching.start, switching.back) : undefined;
    const backTasks = switching ? longest(marks, switching.back, switching.end + 300) : undefined;
    const requestsWhileSwitching = switching
      ? env.ehrProxy.log.filter((e) => e.start >= switching.start && e.start <= switching.end + 300).length
      : undefined;
    if (requestsWhileSwitching) problems.push(`${requestsWhileSwitching} EHR requests while switching views`);

    const beforeFirst: TimedRequest[] =
      firstVitalMs === undefined ? [] : loading.filter((r) => r.start < firstVitalMs);
    const observationSearches = loading.filter(isObservationSearch);
    const pageSizeText = observationSearches[0]
      ? new URL(observationSearches[0].path, 'http://x.invalid').searchParams.get('_count')
      : null;
    const token = loading.find((r) => r.method === 'POST' && pathOf(r.path) === '/auth/token');
    const js = (requests: readonly TimedRequest[]) =>
      requests.filter((r) => r.who === 'app' && r.method === 'GET' && pathOf(r.path).endsWith('.js'));
    const jsFirst =
      firstVitalMs === undefined
        ? []
        : js(loading).filter((r) => r.end !== undefined && r.end <= firstVitalMs);
    const jsFiles = jsFirst.map((r) => {
      const file = pathOf(r.path).replace(/^\//, '');
      return { path: file, gzipBytes: gzipSize(env.dist, file, env.gzipCache) };
    });
    const everything = relativeRequests([...env.ehrProxy.log, ...env.appProxy.log], t0);
    const observerInApp = marks.some(
      (m) => m.kind === 'observer' && m.ok === true && m.doc === '/index.html',
    );
    if (!observerInApp) problems.push('the longtask observer did not report from the app frame');

    return {
      patient,
      delayMs,
      rep,
      ok: problems.length === 0,
      problems,
      firstVitalMs,
      firstVitalText: first?.text,
      tokenMs: token?.end,
      completeMs,
      observationTotal: env.observationTotals.get(patient),
      pageSize: pageSizeText === null ? undefined : Number(pageSizeText),
      observationRequests: observationSearches.length,
      fhirRequests: {
        beforeFirst: beforeFirst.filter((r) => isFhir(r) && !isPreflight(r)).length,
        total: loading.filter((r) => isFhir(r) && !isPreflight(r)).length,
      },
      preflights: {
        beforeFirst: beforeFirst.filter((r) => r.who === 'ehr' && isPreflight(r)).length,
        total: loading.filter((r) => r.who === 'ehr' && isPreflight(r)).length,
      },
      requestsBeforeFirst: beforeFirst,
      chain: firstVitalMs === undefined ? [] : serialChain(beforeFirst, firstVitalMs),
      longestTaskLoadingMs: loadingTasks.max,
      longestTaskSwitchMs: switchTasks?.max,
      longestTaskOpenDetailMs: openTasks?.max,
      longestTaskBackMs: backTasks?.max,
      longTasksLoading: loadingTasks.count,
      longTasksSwitch: switchTasks?.count ?? 0,
      longtaskObserverInAppFrame: observerInApp,
      oopif: heap.oopif,
      heapUsedMB: heap.used,
      heapAfterGcMB: heap.afterGc,
      jsBeforeFirst: { files: jsFiles, gzipBytes: jsFiles.reduce((sum, f) => sum + f.gzipBytes, 0) },
      jsAfterFirst: js(everything)
        .filter((r) => firstVitalMs === undefined || r.end === undefined || r.end > firstVitalMs)
        .map((r) => pathOf(r.path)),
      switchMs: switching ? switching.detailShown - switching.start : undefined,
      requestsWhileSwitching,
      history: historyBreakdown(env, t0),
    };
  } finally {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Where the whole-history time goes, from the sandbox proxy's log: serial page requests, their preflights, the
 * server's time (forwarded → response written) and the client's time between pages.
 */
function historyBreakdown(env: Environment, t0: number): RunResult['history'] {
  const entries = env.ehrProxy.log
    .filter((e) => pathOf(e.url) === '/fhir/Observation')
    .sort((a, b) => a.start - b.start);
  const gets = entries.filter((e) => e.method !== 'OPTIONS');
  const preflights = entries.filter((e) => e.method === 'OPTIONS');
  const span = (e: (typeof entries)[number]) => (e.end ?? e.start) - e.start;
  const server = (e: (typeof entries)[number]) => (e.end ?? e.start) - (e.forwarded ?? e.start);
  let clientMs = 0;
  for (let i = 1; i < entries.length; i++) {
    const previous = entries[i - 1];
    const current = entries[i];
    if (previous && current && current.start > (previous.end ?? previous.start))
      clientMs += current.start - (previous.end ?? previous.start);
  }
  const first = entries[0];
  const last = gets.at(-1);
  return {
    firstSearchStartMs: first ? first.start - t0 : undefined,
    lastSearchEndMs: last?.end === undefined ? undefined : last.end - t0,
    searches: gets.length,
    preflights: preflights.length,
    searchMs: gets.reduce((sum, e) => sum + span(e), 0),
    preflightMs: preflights.reduce((sum, e) => sum + span(e), 0),
    serverMs: gets.reduce((sum, e) => sum + server(e), 0),
    responseBytes: gets.reduce((sum, e) => sum + e.bytes, 0),
    clientBetweenRequestsMs: clientMs,
  };
}

function gitDescription(): { commit: string; dirty: boolean } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], {
      encoding: 'utf8',
    });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const loadBefore = loadavg()[0] ?? 0;
  const buildNote = await ensureBuild(process.argv.includes('--build'));
  console.log(`bench: ${buildNote}`);

  // Ports first: the app's proxied origin goes into the sandbox's client registration, the sandbox's proxied
  // issuer into the app's registrations.
  const dist = await snapshotDist();
  const previewPort = await freePort('127.0.0.1');
  const appProxy = await startDelayProxy({
    target: `http://localhost:${previewPort}`,
    host: 'localhost',
    name: 'app',
  });
  const appOrigin = appProxy.origin;
  const sandbox = await startSandbox({ port: 0, appOrigins: [appOrigin] });
  const ehrProxy = await startDelayProxy({ target: sandbox.origin, host: '127.0.0.1', name: 'ehr' });
  const preview = await startPreview({
    port: previewPort,
    host: 'localhost',
    distDir: dist,
    registrations: sandboxRegistrations(ehrProxy.port),
  });
  const closeAll = async () => {
    await Promise.allSettled([preview.close(), sandbox.close(), ehrProxy.close(), appProxy.close()]);
    rmSync(dist, { recursive: true, force: true });
  };
  try {
    const env: Environment = {
      dist,
      appOrigin,
      ehrProxy,
      appProxy,
      observationTotals: await observationTotals(sandbox.origin),
      gzipCache: new Map(),
    };
    console.log(
      `bench: sandbox ${sandbox.origin} behind ${ehrProxy.origin}, app ${preview.origin} behind ${appOrigin}; ready after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    // One unreported launch warms the servers' code paths (the first search is slower than the rest).
    await runOnce(env, HEAVY, 0, 0);

    const runs: RunResult[] = [];
    for (let rep = 1; rep <= REPS; rep++) {
      for (const delayMs of DELAYS) {
        for (const patient of PATIENTS) {
          const run = await runOnce(env, patient, delayMs, rep);
          runs.push(run);
          console.log(
            `  run ${rep} ${patient} +${delayMs} ms: first vital ${run.firstVitalMs?.toFixed(0) ?? 'n/a'} ms, whole history ${run.completeMs?.toFixed(0) ?? 'n/a'} ms, ${run.observationRequests} searches, longest task ${run.longestTaskLoadingMs?.toFixed(0) ?? 'n/a'} / ${run.longestTaskSwitchMs?.toFixed(0) ?? 'n/a'} ms${run.ok ? '' : `  PROBLEMS: ${run.problems.join('; ')}`}`,
          );
        }
      }
    }

    const figures: PatientFigures[] = PATIENTS.map((patient) => {
      const base = summarise(
        patient,
        0,
        runs.filter((r) => r.patient === patient && r.delayMs === 0),
      );
      const delayedRuns = runs.filter((r) => r.patient === patient && r.delayMs === ADDED);
      const delayed = summarise(patient, ADDED, delayedRuns);
      const baseRuns = runs.filter((r) => r.patient === patient && r.delayMs === 0);
      const chain = chainAroundToken(medianRun(delayedRuns));
      return {
        patient,
        base,
        delayed,
        hopsToFirstVital: roundTrips(base.firstVitalMs, delayed.firstVitalMs, ADDED),
        hopsToFirstVitalBest: roundTrips(
          minimum(baseRuns.map((r) => r.firstVitalMs)),
          minimum(delayedRuns.map((r) => r.firstVitalMs)),
          ADDED,
        ),
        hopsToToken: roundTrips(base.tokenMs, delayed.tokenMs, ADDED),
        chainToToken: chain.toToken,
        worstTaskMs: Math.max(
          ...[...baseRuns, ...delayedRuns].flatMap((r) => [
            r.longestTaskLoadingMs ?? 0,
            r.longestTaskSwitchMs ?? 0,
          ]),
        ),
        chainAfterToken: chain.after,
      };
    });
    const targets = evaluateTargets(figures, HEAVY);

    console.log(`\nRequests before the first vital sign (+${ADDED} ms, median run; * = serial chain):`);
    for (const patient of PATIENTS) {
      const run = medianRun(runs.filter((r) => r.patient === patient && r.delayMs === ADDED));
      if (!run) continue;
      console.log(
        `${patient}: first vital at ${run.firstVitalMs?.toFixed(0) ?? 'n/a'} ms, token at ${run.tokenMs?.toFixed(0) ?? 'n/a'} ms ("${(run.firstVitalText ?? '').slice(0, 60)}")`,
      );
      console.log(formatRequests(run));
      for (const r of [medianRun(runs.filter((x) => x.patient === patient && x.delayMs === 0)), run]) {
        if (!r) continue;
        const h = r.history;
        console.log(
          `  history at +${r.delayMs} ms: ${h.searches} searches + ${h.preflights} preflights, serial, from ${h.firstSearchStartMs?.toFixed(0) ?? 'n/a'} to ${h.lastSearchEndMs?.toFixed(0) ?? 'n/a'} ms; searches ${h.searchMs.toFixed(0)} ms (server ${h.serverMs.toFixed(0)} ms, ${(h.responseBytes / MB).toFixed(1)} MB), preflights ${h.preflightMs.toFixed(0)} ms, app between requests ${h.clientBetweenRequestsMs.toFixed(0)} ms`,
        );
      }
      console.log(
        `  JS before the first value: ${run.jsBeforeFirst.files.map((f) => `${f.path} ${(f.gzipBytes / 1000).toFixed(1)} KB`).join(', ')}`,
      );
    }

    const loadAfter = loadavg()[0] ?? 0;
    console.log(
      `\nMOVO-X benchmark, medians of ${REPS} runs (fresh profile each), Chromium headless, ${cpus().length} cores, load average ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}:\n`,
    );
    if (Math.max(loadBefore, loadAfter) > cpus().length)
      console.log(
        '(the machine was busy with other work: timings without added latency are inflated, derived round trips deflated)\n',
      );
    const table = markdownTable(figures);
    console.log(table);
    console.log('\nTargets (issue 4):');
    for (const t of targets) {
      const verdict = t.pass === undefined ? 'N/A ' : t.pass ? 'PASS' : 'MISS';
      console.log(`  ${verdict}  ${t.patient.padEnd(16)} ${t.target}: ${t.measured}`);
    }

    const git = gitDescription();
    mkdirSync('bench-results', { recursive: true });
    writeFileSync(
      join('bench-results', 'latest.json'),
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          ...git,
          build: buildNote,
          node: process.version,
          cores: cpus().length,
          loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
          chromium: findChromium(),
          reps: REPS,
          addedLatencyMs: ADDED,
          note: 'No added latency = the same delay proxies holding requests 0 ms.',
          figures,
          targets,
          table,
          runs,
        },
        null,
        2,
      )}\n`,
    );
    const problems = runs.filter((r) => !r.ok);
    console.log(
      `\nbench: ${runs.length} runs (${problems.length} with problems) in ${((Date.now() - started) / 1000).toFixed(0)} s; JSON in bench-results/latest.json`,
    );
    return problems.length === runs.length ? 1 : 0;
  } finally {
    await closeAll();
  }
}

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 60_000} minutes: stopped`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    console.error('bench: failed', error);
    process.exit(1);
  },
);
