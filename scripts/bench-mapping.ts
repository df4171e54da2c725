/**
 * Cost of mapping and grouping a heavy patient's history, page by page as the app does it.
 * Run: `npm run bench:mapping -- [observations] [pageSize]` (a benchmark, not a test).
 * Prints per-page timings (map + merge + overview) and the cost of one detail series over the biggest group.
 */
import { performance } from 'node:perf_hooks';
import { mapObservation } from '../src/features/observations/model/mapObservation.ts';
import { buildOverview } from '../src/features/observations/model/overview.ts';
import { buildSeries } from '../src/features/observations/model/series.ts';
import { downsample } from '../src/features/observations/model/downsample.ts';
import { EMPTY_STORE, mergeViews, type ObservationStore } from '../src/features/observations/model/store.ts';
import type { ObservationView } from '../src/features/observations/model/types.ts';
import { loadUcumConverter } from '../src/features/observations/model/ucumConverter.ts';

const total = Number(process.argv[2] ?? 30_000);
const pageSize = Number(process.argv[3] ?? 1000);

const UCUM = 'http://unitsofmeasure.org';
const coding = (code: string, display: string) => ({
  coding: [{ system: 'http://loinc.org', code, display }],
  text: display,
});
const cat = (code: string) => [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] },
];
const q = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });

/** ICU-like mix: vitals every few minutes, labs a few times a day, some odd shapes. */
function generate(i: number, time: number): Record<string, unknown> {
  const base = {
    resourceType: 'Observation',
    id: `bench-${i}`,
    status: i % 97 === 0 ? 'amended' : 'final',
    subject: { reference: 'Patient/heavy' },
    effectiveDateTime: new Date(time).toISOString(),
  };
  const kind = i % 20;
  if (kind < 4)
    return {
      ...base,
      category: cat('vital-signs'),
      code: coding('85354-9', 'Blood pressure panel'),
      component: [
        { code: coding('8480-6', 'Systolic'), valueQuantity: q(110 + (i % 50), 'mm[Hg]') },
        { code: coding('8462-4', 'Diastolic'), valueQuantity: q(60 + (i % 30), 'mm[Hg]') },
      ],
    };
  if (kind < 8)
    return {
      ...base,
      category: cat('vital-signs'),
      code: coding('8867-4', 'Heart rate'),
      valueQuantity: q(60 + (i % 60), '/min'),
    };
  if (kind < 10)
    return {
      ...base,
      category: cat('vital-signs'),
      code: coding('59408-5', 'SpO2'),
      valueQuantity: q(90 + (i % 10), '%'),
    };
  if (kind < 12)
    return {
      ...base,
      category: cat('vital-signs'),
      code: coding('9279-1', 'RR'),
      valueQuantity: q(12 + (i % 10), '/min'),
    };
  if (kind < 13)
    return {
      ...base,
      category: cat('vital-signs'),
      code: coding('8310-5', 'Temp'),
      valueQuantity: q(36 + (i % 30) / 10, 'Cel'),
    };
  const labs: [string, string, string, number, number, number][] = [
    ['2345-7', 'Glucose', 'mg/dL', 70, 99, 60 + (i % 150)],
    ['15074-8', 'Glucose', 'mmol/L', 3.9, 5.5, 3 + (i % 90) / 10],
    ['2823-3', 'Potassium', 'mmol/L', 3.5, 5.1, 3 + (i % 40) / 10],
    ['2951-2', 'Sodium', 'mmol/L', 135, 145, 130 + (i % 20)],
    ['718-7', 'Hemoglobin', 'g/dL', 13.2, 16.6, 8 + (i % 80) / 10],
    ['2160-0', 'Creatinine', 'mg/dL', 0.7, 1.3, 0.5 + (i % 30) / 10],
    [`9${String(i % 40).padStart(3, '0')}-1`, `Analyte ${i % 40}`, 'U/L', 10, 40, i % 60],
  ];
  const [code, display, unit, low, high, value] = labs[i % labs.length] ?? labs[0] ?? ['', '', '', 0, 0, 0];
  return {
    ...base,
    category: cat('laboratory'),
    code: coding(code, display),
    valueQuantity: q(value, unit),
    referenceRange: [{ low: q(low, unit), high: q(high, unit) }],
    ...(i % 11 === 0 ? { interpretation: [{ coding: [{ code: value > high ? 'H' : 'N' }] }] } : {}),
  };
}

// Newest first, one observation every ~2 minutes over ~40 days.
const now = Date.UTC(2026, 11, 3);
const resources = Array.from({ length: total }, (_, i) => generate(i, now - i * 2 * 60_000));

const pageTimes: number[] = [];
const phaseMax = { map: 0, merge: 0, overview: 0 };
let sliceMax = 0;
let store: ObservationStore = EMPTY_STORE;
let mapTotal = 0;
let mergeTotal = 0;
let overviewTotal = 0;
for (let start = 0; start < total; start += pageSize) {
  const page = resources.slice(start, start + pageSize);
  const t0 = performance.now();
  // As the app does it (api/paging.ts mapInSlices): slices of 250, each its own main-thread task.
  const views: ObservationView[] = [];
  for (let slice = 0; slice < page.length; slice += 250) {
    const ts = performance.now();
    page.slice(slice, slice + 250).forEach((r, i) => {
      const v = mapObservation(r, `p${start}-${slice + i}`);
      if (v) views.push(v);
    });
    sliceMax = Math.max(sliceMax, performance.now() - ts);
  }
  const t1 = performance.now();
  store = mergeViews(store, views).store;
  const t2 = performance.now();
  buildOverview(store);
  const t3 = performance.now();
  phaseMax.map = Math.max(phaseMax.map, t1 - t0);
  phaseMax.merge = Math.max(phaseMax.merge, t2 - t1);
  phaseMax.overview = Math.max(phaseMax.overview, t3 - t2);
  mapTotal += t1 - t0;
  mergeTotal += t2 - t1;
  overviewTotal += t3 - t2;
  pageTimes.push(t3 - t0);
}
const converter = await loadUcumConverter();
const biggest = [...store.groups.values()].sort((a, b) => b.views.length - a.views.length);
const timeSeries = (key: string) => {
  const group = store.groups.get(key);
  if (!group) return 'absent';
  const t0 = performance.now();
  const series = buildSeries(group.views, converter);
  const t1 = performance.now();
  const drawn = series.map(
    (s) =>
      downsample(
        s.points.filter((p): p is typeof p & { time: number } => p.time !== undefined),
        1000,
      ).length,
  );
  const t2 = performance.now();
  return `${group.views.length} values → ${series.length} series in ${(t1 - t0).toFixed(1)} ms, downsampled to ${drawn.join('+')} points in ${(t2 - t1).toFixed(1)} ms`;
};

const fmt = (n: number) => `${n.toFixed(1)} ms`;
console.info(
  `${total} observations in pages of ${pageSize} (${pageTimes.length} pages), Node ${process.version}`,
);
console.info(`first page (cold JIT): ${fmt(pageTimes[0] ?? 0)}`);
console.info(
  `per page (map + merge + overview): max ${fmt(Math.max(...pageTimes))}, median ${fmt([...pageTimes].sort((a, b) => a - b)[Math.floor(pageTimes.length / 2)] ?? 0)}`,
);
console.info(
  `slowest: map of a whole page ${fmt(phaseMax.map)}, one 250-observation slice (one task in the app) ${fmt(sliceMax)}, merge ${fmt(phaseMax.merge)}, overview ${fmt(phaseMax.overview)}`,
);
console.info(`totals: map ${fmt(mapTotal)}, merge ${fmt(mergeTotal)}, overview ${fmt(overviewTotal)}`);
console.info(
  `groups: ${store.groups.size}; largest: ${biggest
    .slice(0, 3)
    .map((g) => `${g.key} (${g.views.length})`)
    .join(', ')}`,
);
console.info(`detail blood pressure: ${timeSeries('blood-pressure')}`);
console.info(`detail glucose (mixed mg/dL and mmol/L): ${timeSeries('glucose')}`);
console.info(`heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
