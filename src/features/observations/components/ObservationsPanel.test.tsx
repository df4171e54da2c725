import { describe, expect, it } from 'vitest';
import { http, HttpResponse, delay } from 'msw';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { Observation } from 'fhir/r4';
import { mswServer, TEST_FHIR_BASE } from '../../../testing/msw.ts';
import { createTestSession, renderWithSession } from '../../../testing/render.tsx';
import { ObservationsPanel, useClinicalSnippets } from '../index.ts';
import {
  bloodPressure,
  glucose,
  heartRate,
  interpretation,
  searchBundle,
  smokingStatus,
} from '../testing/fixtures.ts';

const NOW = Date.UTC(2026, 11, 3, 12, 0);
const hoursAgo = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
const OBSERVATIONS = `${TEST_FHIR_BASE}/Observation`;
const CHART = { width: 600, height: 240 };

/** Serves pages by the `page` query parameter; counts every request. */
function servePages(pages: Record<string, () => Promise<Response> | Response>) {
  const requests: string[] = [];
  mswServer.use(
    http.get(OBSERVATIONS, async ({ request }) => {
      requests.push(request.url);
      const page = new URL(request.url).searchParams.get('page') ?? '1';
      const answer = pages[page];
      return answer
        ? answer()
        : HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 404 });
    }),
  );
  return requests;
}

function deferred() {
  let release: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { promise, release };
}

const pageUrl = (n: number) => `${OBSERVATIONS}?patient=patient-1&page=${n}`;

const typicalPatient: Observation[] = [
  bloodPressure(128, 82, { id: 'bp-new', status: 'amended', effectiveDateTime: hoursAgo(2) }),
  bloodPressure(150, 95, { id: 'bp-old', effectiveDateTime: hoursAgo(30) }),
  heartRate(72, { id: 'hr', effectiveDateTime: hoursAgo(2) }),
  glucose(180, 'mg/dL', { id: 'glu', effectiveDateTime: hoursAgo(3), interpretation: interpretation('H') }),
  glucose(400, 'mg/dL', { id: 'glu-eie', effectiveDateTime: hoursAgo(1), status: 'entered-in-error' }),
  smokingStatus('Never smoker', { id: 'smoke' }),
];

describe('ObservationsPanel: states', () => {
  it('pending: shows that observations are loading', async () => {
    const gate = deferred();
    servePages({
      1: async () => {
        await gate.promise;
        return HttpResponse.json(searchBundle([]));
      },
    });
    renderWithSession(<ObservationsPanel />);
    expect(await screen.findByText('Loading observations…')).toBeInTheDocument();
    gate.release();
    expect(await screen.findByText('No observations recorded for this patient')).toBeInTheDocument();
  });

  it('error: shows the EHR\'s message, and "Try again" recovers', async () => {
    let attempts = 0;
    servePages({
      1: () => {
        attempts++;
        return attempts === 1
          ? HttpResponse.json(
              {
                resourceType: 'OperationOutcome',
                issue: [{ severity: 'error', code: 'exception', diagnostics: 'Database unavailable' }],
              },
              { status: 503 },
            )
          : HttpResponse.json(searchBundle(typicalPatient));
      },
    });
    renderWithSession(<ObservationsPanel />);
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('The EHR reported an internal error. Database unavailable');
    await userEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('128/82 mmHg')).toBeInTheDocument();
    expect(attempts).toBe(2);
  });

  it('empty: says so', async () => {
    servePages({ 1: () => HttpResponse.json(searchBundle([], { total: 0 })) });
    renderWithSession(<ObservationsPanel />);
    expect(await screen.findByText('No observations recorded for this patient')).toBeInTheDocument();
  });

  it('success: latest values with unit, flag words and status marks; entered-in-error never shown', async () => {
    const requests = servePages({ 1: () => HttpResponse.json(searchBundle(typicalPatient)) });
    renderWithSession(<ObservationsPanel />);
    const bp = await screen.findByRole('button', { name: /Blood pressure/ });
    expect(bp).toHaveTextContent('128/82 mmHg');
    expect(bp).toHaveTextContent('Amended');
    expect(bp).toHaveTextContent(new Date(NOW - 2 * 3_600_000).toISOString().slice(0, 10));
    expect(screen.getByRole('button', { name: /Heart rate/ })).toHaveTextContent('72 /min');

    const labs = screen.getByRole('table', { name: 'Glucose and HbA1c' });
    const row = within(labs).getByRole('row', { name: /Glucose/ });
    expect(row).toHaveTextContent('180 mg/dL');
    expect(within(row).getByText('High')).toBeInTheDocument();
    expect(row).toHaveTextContent('70–99 mg/dL');
    expect(screen.queryByText(/400 mg\/dL/)).not.toBeInTheDocument();

    expect(screen.getByRole('table', { name: 'Social history' })).toHaveTextContent('Never smoker');
    expect(requests).toHaveLength(1);
    expect(new URL(requests[0] ?? '').searchParams.get('_sort')).toBe('-date');
    expect(new URL(requests[0] ?? '').searchParams.get('_count')).toBe('1000');
  });
});

describe('ObservationsPanel: paging', () => {
  it('shows the first page at once, loads the rest in the background with progress', async () => {
    const gate = deferred();
    const requests = servePages({
      1: () =>
        HttpResponse.json(
          searchBundle(
            [
              heartRate(72, { id: 'p1-hr', effectiveDateTime: hoursAgo(1) }),
              glucose(95, 'mg/dL', { id: 'p1-glu' }),
            ],
            {
              next: pageUrl(2),
              total: 4,
            },
          ),
        ),
      2: async () => {
        await gate.promise;
        return HttpResponse.json(
          searchBundle(
            [
              bloodPressure(128, 82, { id: 'p2-bp', effectiveDateTime: hoursAgo(5) }),
              heartRate(80, { id: 'p2-hr', effectiveDateTime: hoursAgo(6) }),
            ],
            {
              next: pageUrl(3),
              total: 4,
            },
          ),
        );
      },
      3: () => HttpResponse.json(searchBundle([], { total: 4 })),
    });
    renderWithSession(<ObservationsPanel />);
    expect(await screen.findByRole('button', { name: /Heart rate/ })).toHaveTextContent('72 /min');
    expect(screen.getByText('Loaded 2 of 4 observations…')).toBeInTheDocument();
    expect(screen.queryByText('128/82 mmHg')).not.toBeInTheDocument();

    gate.release();
    expect(await screen.findByText('128/82 mmHg')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByText(/Loaded .* observations…/)).not.toBeInTheDocument());
    expect(requests.map((u) => new URL(u).searchParams.get('page') ?? '1')).toEqual(['1', '2', '3']);
  });

  it('a next link to a page already requested stops with a warning (no request sent)', async () => {
    const requests = servePages({
      1: () => HttpResponse.json(searchBundle([heartRate(72, { id: 'a' })], { next: pageUrl(2) })),
      // A cursor bug: page 2 links to itself.
      2: () =>
        HttpResponse.json(
          searchBundle([heartRate(75, { id: 'b', effectiveDateTime: hoursAgo(30) })], { next: pageUrl(2) }),
        ),
    });
    renderWithSession(<ObservationsPanel />);
    expect(
      await screen.findByText('The EHR repeated a page; history may be incomplete.'),
    ).toBeInTheDocument();
    expect(requests).toHaveLength(2);
  });

  it('a page that repeats only entries already seen stops with a warning', async () => {
    const same = [heartRate(72, { id: 'a' }), glucose(95, 'mg/dL', { id: 'b' })];
    const requests = servePages({
      1: () => HttpResponse.json(searchBundle(same, { next: pageUrl(2) })),
      2: () => HttpResponse.json(searchBundle(same, { next: pageUrl(3) })),
    });
    renderWithSession(<ObservationsPanel />);
    expect(
      await screen.findByText('The EHR repeated a page; history may be incomplete.'),
    ).toBeInTheDocument();
    expect(requests).toHaveLength(2);
  });

  it('never follows a next link to another server (the token would go with it)', async () => {
    const requests = servePages({
      1: () =>
        HttpResponse.json(
          searchBundle([heartRate(72, { id: 'a' })], {
            next: 'https://elsewhere.test/fhir/Observation?page=2',
          }),
        ),
    });
    renderWithSession(<ObservationsPanel />);
    expect(
      await screen.findByText(/next page is on another server; MOVO-X did not follow it/),
    ).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('a failed page keeps what was loaded; "Try again" resumes at that page', async () => {
    let page2Attempts = 0;
    const requests = servePages({
      1: () =>
        HttpResponse.json(
          searchBundle([heartRate(72, { id: 'a', effectiveDateTime: hoursAgo(1) })], { next: pageUrl(2) }),
        ),
      2: () => {
        page2Attempts++;
        return page2Attempts === 1
          ? HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 500 })
          : HttpResponse.json(searchBundle([glucose(95, 'mg/dL', { id: 'b' })]));
      },
    });
    renderWithSession(<ObservationsPanel />);
    const alert = await screen.findByText(/Loading stopped after 1 observations/);
    expect(screen.getByRole('button', { name: /Heart rate/ })).toHaveTextContent('72 /min');
    await userEvent.click(
      within(alert.closest('[role="alert"]') ?? document.body).getByRole('button', { name: 'Try again' }),
    );
    expect(await screen.findByRole('table', { name: 'Glucose and HbA1c' })).toHaveTextContent('95 mg/dL');
    expect(requests.map((u) => new URL(u).searchParams.get('page') ?? '1')).toEqual(['1', '2', '2']);
    expect(screen.queryByText(/Loading stopped/)).not.toBeInTheDocument();
  });
});

describe('ObservationsPanel: access', () => {
  it('403 at request time: the EHR did not grant access', async () => {
    servePages({ 1: () => new HttpResponse(null, { status: 403 }) });
    renderWithSession(<ObservationsPanel />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This EHR did not grant MOVO-X access to observations.',
    );
  });

  it("'none': says so and sends no request", async () => {
    const requests: string[] = [];
    const onRequest = ({ request }: { request: Request }) => requests.push(request.url);
    mswServer.events.on('request:start', onRequest);
    renderWithSession(<ObservationsPanel />, {
      session: createTestSession({ scope: 'launch openid fhirUser user/Patient.rs' }),
    });
    expect(screen.getByText('This EHR did not grant MOVO-X access to observations.')).toBeInTheDocument();
    await delay(50);
    mswServer.events.removeListener('request:start', onRequest);
    expect(requests).toEqual([]);
  });

  it("'some': warns that categories may be missing, and still shows what was granted", async () => {
    servePages({ 1: () => HttpResponse.json(searchBundle(typicalPatient)) });
    renderWithSession(<ObservationsPanel />, {
      session: createTestSession({
        scope:
          'launch user/Patient.rs user/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|vital-signs',
      }),
    });
    expect(
      screen.getByText('This EHR granted access to some observation categories only; others may be missing.'),
    ).toBeInTheDocument();
    expect(await screen.findByText('128/82 mmHg')).toBeInTheDocument();
  });
});

describe('ObservationsPanel: detail', () => {
  it('opens a vital sign, charts it, lists every value; back to the overview sends no new request', async () => {
    const requests = servePages({ 1: () => HttpResponse.json(searchBundle(typicalPatient)) });
    const { container } = renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Blood pressure/ }));

    expect(await screen.findByRole('heading', { name: 'Blood pressure' })).toBeInTheDocument();
    // 2 h and 30 h ago: the smallest range with two values is 7 days
    expect(screen.getByRole('button', { name: '7 days' })).toHaveAttribute('aria-pressed', 'true');
    const table = screen.getByRole('table', { name: 'Blood pressure: values' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell')[1]?.textContent)).toEqual([
      '128/82 mmHg',
      '150/95 mmHg',
    ]);
    expect(rows[0]).toHaveTextContent('Amended');

    // The lazy recharts chunk draws both lines (its first import can take seconds on a busy machine).
    await waitFor(
      () => {
        expect(container.querySelectorAll('.recharts-line')).toHaveLength(2);
      },
      { timeout: 10_000 },
    );

    await userEvent.click(screen.getByRole('button', { name: '← Back to overview' }));
    await userEvent.click(screen.getByRole('button', { name: /Heart rate/ }));
    await userEvent.click(screen.getByRole('button', { name: '← Back to overview' }));
    expect(screen.getByRole('button', { name: /Blood pressure/ })).toBeInTheDocument();
    expect(requests).toHaveLength(1);
  });

  it('sorting by date toggles the order (aria-sort says which)', async () => {
    servePages({
      1: () =>
        HttpResponse.json(
          searchBundle(
            [1, 2, 3].map((h) => heartRate(60 + h, { id: `hr-${h}`, effectiveDateTime: hoursAgo(h) })),
          ),
        ),
    });
    renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Heart rate/ }));
    const table = await screen.findByRole('table', { name: 'Heart rate: values' });
    const values = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((r) => within(r).getAllByRole('cell')[1]?.textContent);
    const header = within(table).getByRole('columnheader', { name: /Date/ });
    expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(values()).toEqual(['61 /min', '62 /min', '63 /min']);
    await userEvent.click(within(header).getByRole('button'));
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    expect(values()).toEqual(['63 /min', '62 /min', '61 /min']);
  });

  it('time-range buttons filter the table', async () => {
    servePages({
      1: () =>
        HttpResponse.json(
          searchBundle([
            heartRate(61, { effectiveDateTime: hoursAgo(1) }),
            heartRate(62, { effectiveDateTime: hoursAgo(3) }),
            heartRate(63, { effectiveDateTime: hoursAgo(72) }),
            heartRate(64, { effectiveDateTime: hoursAgo(24 * 200) }),
            heartRate(65, { effectiveDateTime: hoursAgo(24 * 800) }),
          ]),
        ),
    });
    renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Heart rate/ }));
    expect(await screen.findByRole('button', { name: '24 h' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText('Showing 1–2 of 2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '7 days' }));
    expect(screen.getByText('Showing 1–3 of 3')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '1 year' }));
    expect(screen.getByText('Showing 1–4 of 4')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'All' }));
    expect(screen.getByText('Showing 1–5 of 5')).toBeInTheDocument();
  });

  it('long histories are paginated: never 30,000 rows at once', async () => {
    servePages({
      1: () =>
        HttpResponse.json(
          searchBundle(
            Array.from({ length: 250 }, (_, i) =>
              heartRate(60 + (i % 40), { id: `hr-${i}`, effectiveDateTime: hoursAgo(i * 0.05) }),
            ),
          ),
        ),
    });
    renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Heart rate/ }));
    const table = await screen.findByRole('table', { name: 'Heart rate: values' });
    expect(screen.getByText('Showing 1–100 of 250')).toBeInTheDocument();
    expect(within(table).getAllByRole('row')).toHaveLength(101);
    await userEvent.click(screen.getByRole('button', { name: 'Next 100' }));
    expect(screen.getByText('Showing 101–200 of 250')).toBeInTheDocument();
  });

  it('glucose in mg/dL and mmol/L is shown in one unit after conversion', async () => {
    servePages({
      1: () =>
        HttpResponse.json(
          searchBundle([
            glucose(100, 'mg/dL', { id: 'g1', effectiveDateTime: hoursAgo(1) }),
            glucose(5.5, 'mmol/L', { id: 'g2', effectiveDateTime: hoursAgo(2) }),
            glucose(7.0, 'mmol/L', { id: 'g3', effectiveDateTime: hoursAgo(3) }),
          ]),
        ),
    });
    renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Glucose/ }));
    expect(
      await screen.findByText('2 values converted from mmol/L to mg/dL', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Glucose: values' });
    const cells = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('cell')[1]?.textContent);
    expect(cells).toEqual([
      '100 mg/dL',
      '99.09 mg/dL (sent as 5.5 mmol/L)',
      '126.1 mg/dL (sent as 7 mmol/L)',
    ]);
    expect(screen.getAllByRole('table')).toHaveLength(1);
  });

  it('shows sanitised narrative only', async () => {
    servePages({
      1: () =>
        HttpResponse.json(
          searchBundle([
            glucose(95, 'mg/dL', {
              text: {
                status: 'additional',
                div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Specimen <b>haemolysed</b></p><img src="x" onerror="alert(1)"/><script>alert(2)</script></div>',
              },
            }),
          ]),
        ),
    });
    const { container } = renderWithSession(<ObservationsPanel chartSize={CHART} now={NOW} />);
    await userEvent.click(await screen.findByRole('button', { name: /Glucose/ }));
    const narrative = await screen.findByRole('region', { name: /Report text/ }, { timeout: 10_000 });
    expect(narrative).toHaveTextContent('Specimen haemolysed');
    expect(container.querySelector('script, img, [onerror]')).toBeNull();
  });
});

describe('useClinicalSnippets', () => {
  function Snippets() {
    const snippets = useClinicalSnippets();
    return (
      <ul aria-label="snippets">
        {snippets.map((s) => (
          <li key={s.id}>{s.text}</li>
        ))}
      </ul>
    );
  }

  it('gives note lines from the same cached history (one request for panel and snippets)', async () => {
    const requests = servePages({ 1: () => HttpResponse.json(searchBundle(typicalPatient)) });
    renderWithSession(
      <>
        <ObservationsPanel />
        <Snippets />
      </>,
    );
    const list = screen.getByRole('list', { name: 'snippets' });
    const time = (h: number) => {
      const d = new Date(NOW - h * 3_600_000);
      return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
    };
    await waitFor(() => {
      expect(within(list).getAllByRole('listitem').length).toBeGreaterThan(0);
    });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      `BP 128/82 mmHg, Amended (${time(2)})`,
      `HR 72 /min (${time(2)})`,
      `Glucose 180 mg/dL, High (${time(3)})`,
    ]);
    expect(requests).toHaveLength(1);
  });

  it('by category (Epic refuses a search without one): searches each category in turn and shows them all', async () => {
    const categories: (string | null)[] = [];
    mswServer.use(
      http.get(OBSERVATIONS, ({ request }) => {
        const category = new URL(request.url).searchParams.get('category');
        categories.push(category);
        if (category === null) {
          return HttpResponse.json(
            {
              resourceType: 'OperationOutcome',
              issue: [{ severity: 'error', code: 'required', diagnostics: 'category is required' }],
            },
            { status: 400 },
          );
        }
        if (category === 'vital-signs') {
          return HttpResponse.json(
            searchBundle([heartRate(72, { id: 'hr', effectiveDateTime: hoursAgo(1) })], { total: 1 }),
          );
        }
        if (category === 'laboratory') {
          return HttpResponse.json(
            searchBundle([glucose(95, 'mg/dL', { id: 'glu', effectiveDateTime: hoursAgo(3) })], { total: 1 }),
          );
        }
        return HttpResponse.json(searchBundle([], { total: 0 }));
      }),
    );
    renderWithSession(<ObservationsPanel now={NOW} />, {
      session: createTestSession({ registration: { observationSearch: 'by-category' } }),
    });
    expect(await screen.findByRole('button', { name: /Heart rate/ })).toHaveTextContent('72 /min');
    expect(await screen.findByText('95 mg/dL')).toBeInTheDocument();
    await waitFor(() => {
      expect(categories).toHaveLength(10);
    });
    expect(categories.slice(0, 2)).toEqual(['vital-signs', 'laboratory']);
    expect(categories).not.toContain(null);
  });
});
