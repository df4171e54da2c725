import { describe, expect, it } from 'vitest';
import { mapObservation } from '../model/mapObservation.ts';
import type { ObservationView } from '../model/types.ts';
import { glucose, heartRate, searchBundle } from '../testing/fixtures.ts';
import {
  applyPage,
  EMPTY_HISTORY,
  mapInSlices,
  MAX_EMPTY_PAGES,
  nextStep,
  observationSearchUrl,
  readSearchBundle,
  type ObservationHistory,
  type SearchPage,
  observationSearchUrls,
  SEARCHED_CATEGORIES,
} from './paging.ts';

const BASE = 'https://ehr.test/fhir';

function page(
  requestUrl: string,
  views: ObservationView[],
  next?: string,
  entries = views.length,
  total?: number,
): SearchPage {
  // Only a search's first page carries the Bundle.total that counts.
  return { requestUrl, views, entries, next, total, firstOfSearch: total !== undefined };
}
const view = (id: string): ObservationView => {
  const v = mapObservation(heartRate(70, { id }));
  if (!v) throw new Error('no view');
  return v;
};

describe('observationSearchUrl', () => {
  it('one search for the whole history, newest first, with the page size', () => {
    expect(observationSearchUrl({ patientId: 'p 1', pageSize: 1000 })).toBe(
      'Observation?patient=p+1&_sort=-date&_count=1000',
    );
  });

  it('takes a category when an EHR requires one', () => {
    expect(observationSearchUrl({ patientId: 'p1', pageSize: 200, category: 'vital-signs' })).toBe(
      'Observation?patient=p1&_sort=-date&_count=200&category=vital-signs',
    );
  });
});

describe('readSearchBundle', () => {
  it('reads observations, the next link and the total', () => {
    const bundle = searchBundle([glucose(95, 'mg/dL', { id: 'g1' })], {
      next: `${BASE}/Observation?page=2`,
      total: 27_412,
    });
    const read = readSearchBundle(bundle);
    expect(read.next).toBe(`${BASE}/Observation?page=2`);
    expect(read.total).toBe(27_412);
    expect(read.resources).toHaveLength(1);
  });

  it('ignores OperationOutcome entries and tolerates a Bundle without entries', () => {
    const read = readSearchBundle({
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'OperationOutcome', issue: [] } }],
    });
    expect(read.resources).toEqual([]);
    expect(readSearchBundle({ resourceType: 'Bundle' }).resources).toEqual([]);
  });

  it('an answer that is not a Bundle is an unreadable FhirError', () => {
    expect(() => readSearchBundle({ resourceType: 'OperationOutcome' })).toThrow(
      expect.objectContaining({ kind: 'unreadable' }) as Error,
    );
  });

  it('maps in slices, yielding between them, with fallback ids for resources without one', async () => {
    let yields = 0;
    const resources = Array.from({ length: 600 }, (_, i) => ({
      resource: { ...heartRate(60 + (i % 10)), id: undefined },
      fallbackId: undefined,
    }));
    const views = await mapInSlices(resources, `${BASE}/Observation?x`, () => {
      yields++;
      return Promise.resolve();
    });
    expect(views).toHaveLength(600);
    expect(yields).toBe(2);
    expect(views[599]?.id).toBe(`${BASE}/Observation?x#599`);
  });
});

describe('nextStep', () => {
  it('follows same-origin next links, relative ones included', () => {
    expect(nextStep(`${BASE}/Observation?page=2`, BASE, new Set())).toEqual({
      kind: 'follow',
      url: `${BASE}/Observation?page=2`,
    });
    expect(nextStep('Observation?page=3', BASE, new Set())).toEqual({
      kind: 'follow',
      url: `${BASE}/Observation?page=3`,
    });
  });

  it('never sends the token to another origin', () => {
    expect(nextStep('https://evil.test/fhir/Observation?page=2', BASE, new Set())).toEqual({
      kind: 'stop',
      warning: 'foreign-next-link',
    });
    expect(nextStep('http://ehr.test/fhir/Observation?page=2', BASE, new Set())).toEqual({
      kind: 'stop',
      warning: 'foreign-next-link',
    });
  });

  it('stops on a URL already requested', () => {
    expect(nextStep(`${BASE}/Observation?page=1`, BASE, new Set([`${BASE}/Observation?page=1`]))).toEqual({
      kind: 'stop',
      warning: 'repeated-page',
    });
  });

  it('no next link: done', () => {
    expect(nextStep(undefined, BASE, new Set())).toEqual({ kind: 'done' });
  });
});

describe('applyPage', () => {
  it('accumulates pages, keeps the first total, points at the next page', () => {
    const h1 = applyPage(EMPTY_HISTORY, page(`${BASE}/p1`, [view('a'), view('b')], `${BASE}/p2`, 3, 5), BASE);
    expect(h1).toMatchObject({ received: 3, total: 5, pages: 1, nextUrl: `${BASE}/p2`, complete: false });
    const h2 = applyPage(h1, page(`${BASE}/p2`, [view('c')], undefined, 2), BASE);
    expect(h2).toMatchObject({
      received: 5,
      pages: 2,
      nextUrl: undefined,
      complete: true,
      warning: undefined,
    });
    expect(h2.store.count).toBe(3);
  });

  it('by category: when one search ends the next queued one starts, totals add up, then it is complete', () => {
    const start = { ...EMPTY_HISTORY, queuedSearches: [`${BASE}/labs1`] };
    const h1 = applyPage(start, page(`${BASE}/vitals1`, [view('a')], `${BASE}/vitals2`, 1, 2), BASE);
    expect(h1).toMatchObject({ nextUrl: `${BASE}/vitals2`, total: 2, queuedSearches: [`${BASE}/labs1`] });
    const h2 = applyPage(h1, page(`${BASE}/vitals2`, [view('b')]), BASE);
    expect(h2).toMatchObject({ nextUrl: `${BASE}/labs1`, complete: false, queuedSearches: [] });
    const h3 = applyPage(h2, page(`${BASE}/labs1`, [view('c')], undefined, 1, 1), BASE);
    expect(h3).toMatchObject({ nextUrl: undefined, complete: true, total: 3, received: 3 });
    expect(h3.store.count).toBe(3);
  });

  it('the search plan: one unfiltered search, or one per category with vital signs first', () => {
    expect(observationSearchUrls('all', 'p1', 1000)).toEqual([
      'Observation?patient=p1&_sort=-date&_count=1000',
    ]);
    const byCategory = observationSearchUrls('by-category', 'p1', 200);
    expect(byCategory[0]).toBe('Observation?patient=p1&_sort=-date&_count=200&category=vital-signs');
    expect(byCategory.map((url) => new URLSearchParams(url.split('?')[1]).get('category'))).toEqual([
      ...SEARCHED_CATEGORIES,
    ]);
  });

  it('a page whose entries were all seen before stops with a warning', () => {
    const h1 = applyPage(EMPTY_HISTORY, page(`${BASE}/p1`, [view('a'), view('b')], `${BASE}/p2`), BASE);
    const h2 = applyPage(h1, page(`${BASE}/p2`, [view('a'), view('b')], `${BASE}/p3`), BASE);
    expect(h2).toMatchObject({ nextUrl: undefined, complete: false, warning: 'repeated-page', received: 2 });
  });

  it('a next link back to a requested page stops with a warning', () => {
    const h1 = applyPage(EMPTY_HISTORY, page(`${BASE}/p1`, [view('a')], `${BASE}/p2`), BASE);
    const h2 = applyPage(h1, page(`${BASE}/p2`, [view('b')], `${BASE}/p1`), BASE);
    expect(h2).toMatchObject({ nextUrl: undefined, warning: 'repeated-page' });
    expect(h2.store.count).toBe(2);
  });

  it('gives up after too many empty pages in a row', () => {
    let history: ObservationHistory = EMPTY_HISTORY;
    for (let i = 0; i <= MAX_EMPTY_PAGES; i++)
      history = applyPage(history, page(`${BASE}/e${i}`, [], `${BASE}/e${i + 1}`), BASE);
    expect(history).toMatchObject({ nextUrl: undefined, warning: 'empty-pages' });
  });

  it('counts entered-in-error entries as received (Bundle.total counts them) but does not show them', () => {
    const shown = mapObservation(glucose(95, 'mg/dL', { id: 'ok' }));
    const h = applyPage(EMPTY_HISTORY, page(`${BASE}/p1`, shown ? [shown] : [], undefined, 2, 2), BASE);
    expect(h).toMatchObject({ received: 2, total: 2, complete: true });
    expect(h.store.count).toBe(1);
  });
});
