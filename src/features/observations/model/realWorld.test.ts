/**
 * The mapper against real-world data it did not generate (Synthea R4 and the classic SMART STU3 patients, from
 * /work/shared/fixtures/real-world). Those files are not part of the project: the suite skips when they are absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapObservation } from './mapObservation.ts';
import { buildOverview } from './overview.ts';
import { buildSeries } from './series.ts';
import { storeOf } from './store.ts';
import type { ObservationView } from './types.ts';
import { loadUcumConverter } from './ucumConverter.ts';

// Vitest runs from the repository root; the shared folder sits beside it on the build machine only.
const dir = resolve(process.cwd(), '../shared/fixtures/real-world');

function observationsIn(folder: string): { file: string; resources: unknown[] }[] {
  return readdirSync(join(dir, folder))
    .filter((f) => f.endsWith('.json'))
    .map((file) => {
      const bundle = JSON.parse(readFileSync(join(dir, folder, file), 'utf8')) as {
        entry?: { resource?: unknown }[];
      };
      const resources = (bundle.entry ?? [])
        .map((e) => e.resource)
        .filter((r) => (r as { resourceType?: unknown } | undefined)?.resourceType === 'Observation');
      return { file, resources };
    });
}

describe.skipIf(!existsSync(dir))('real-world bundles', () => {
  for (const folder of ['synthea-r4', 'smart-stu3']) {
    it(`${folder}: every Observation maps without throwing, none silently lost`, async () => {
      const converter = await loadUcumConverter();
      let total = 0;
      let unreadable = 0;
      let bloodPressure = 0;
      const kinds = new Map<string, number>();
      for (const { resources } of observationsIn(folder)) {
        const views = resources
          .map((r) => mapObservation(r))
          .filter((v): v is ObservationView => v !== undefined);
        total += resources.length;
        // No entered-in-error in these files: every Observation must come out as a view.
        expect(views).toHaveLength(resources.length);
        for (const v of views) {
          kinds.set(v.value.kind, (kinds.get(v.value.kind) ?? 0) + 1);
          if (v.value.kind === 'unreadable') unreadable++;
          if (v.concept.known?.id === 'blood-pressure' && v.value.kind === 'blood-pressure') bloodPressure++;
        }
        const store = storeOf(views);
        const overview = buildOverview(store);
        expect(overview.isEmpty).toBe(false);
        for (const group of store.groups.values()) {
          for (const series of buildSeries(group.views, converter)) {
            // one unit per series
            expect(
              series.points.every((p) => p.text.endsWith(series.unit ?? '') || series.unit === undefined),
            ).toBe(true);
          }
        }
      }
      console.info(
        `${folder}: ${total} observations, ${unreadable} unreadable, ${bloodPressure} blood pressures; kinds ${JSON.stringify(Object.fromEntries(kinds))}`,
      );
      expect(total).toBeGreaterThan(0);
      expect(bloodPressure).toBeGreaterThan(0); // coded 55284-4 in both data sets
      expect(unreadable).toBe(0);
    });
  }

  it('Synthea vital signs: the overview shows BP, HR, weight, height and BMI', () => {
    const [first] = observationsIn('synthea-r4');
    const views = (first?.resources ?? [])
      .map((r) => mapObservation(r))
      .filter((v): v is ObservationView => v !== undefined);
    const overview = buildOverview(storeOf(views));
    expect(overview.vitals.map((v) => v.concept.short)).toEqual(
      expect.arrayContaining(['BP', 'Weight', 'Height', 'BMI']),
    );
    const bp = overview.vitals.find((v) => v.concept.short === 'BP');
    expect(bp?.latest.value.text).toMatch(/^[\d.]+\/[\d.]+ mmHg$/);
  });
});
