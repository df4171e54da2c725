/**
 * Observations a clinician can trust (issue 4), through the sandbox EHR's real launch with MOVO-X in the chart's
 * cross-site iframe. Each test asserts what the clinician sees and compares it with what the FHIR server holds,
 * read directly with the test's own token (`ehr.fhir`): the latest blood pressure whichever LOINC code the EHR
 * uses, an entered-in-error value that never appears, an amended value that is marked, one unit per series, the
 * heavy patient's overview before its history has loaded and its detail table with every value in the end, and
 * the edge shapes of sandbox/data/README.md (no category, dataAbsentReason, SampledData, a narrative's script).
 *
 * Dates are compared in the app's own time zone (read from its frame), formatted as the app shows them
 * (`YYYY-MM-DD HH:mm`, local time). Code sets are the app's (src/features/observations/model/codeSets.ts).
 */
import type { Bundle, Observation, Quantity } from 'fhir/r4';
import type { Frame, FrameLocator, Locator, Page } from '@playwright/test';
import { expect, test, type Ehr } from './fixtures.ts';

const LOINC = 'http://loinc.org';
/** The app's code sets (codeSets.ts) for the concepts checked here. */
const CODE_SETS = {
  bloodPressure: ['85354-9', '55284-4', '35094-2'],
  /** Standalone systolic and diastolic observations join the blood-pressure group in the app. */
  bpComponents: ['8480-6', '8462-4'],
  heartRate: ['8867-4'],
  glucose: ['2345-7', '2339-0', '15074-8', '14749-6', '41653-7'],
  hba1c: ['4548-4', '17856-6', '4549-2', '59261-8'],
} as const;
/** Lipid codes the sandbox sends without a category (patient-adult-2), with the app's row labels. */
const LIPID_LABELS: Readonly<Record<string, string>> = {
  '2093-3': 'Cholesterol, total',
  '2085-9': 'HDL cholesterol',
  '13457-7': 'LDL cholesterol',
  '2571-8': 'Triglycerides',
};
/** UCUM codes the app spells differently (quantity.ts UCUM_DISPLAY), for the ones these tests meet. */
const UNIT_DISPLAY: Readonly<Record<string, string>> = { 'mm[Hg]': 'mmHg', Cel: '°C' };
/** Glucose: mg/dL per mmol/L (molar mass 180.16 g/mol). */
const GLUCOSE_MG_PER_MMOL = 18.016;
const HEAVY_TOTAL_TIMEOUT = { timeout: 60_000 };

// Server side ---------------------------------------------------------------------------------------------------

const codeParam = (codes: readonly string[]) => codes.map((code) => `${LOINC}|${code}`).join(',');

/** `Observation?patient=…&code=…` as the sandbox supports it (token search, comma = OR), entered-in-error left out. */
function observationSearch(
  patient: string,
  codes: readonly string[],
  extra: Record<string, string> = {},
): string {
  const params = new URLSearchParams({
    patient,
    code: codeParam(codes),
    'status:not': 'entered-in-error',
    ...extra,
  });
  return `Observation?${params.toString()}`;
}

async function serverCount(ehr: Ehr, patient: string, codes: readonly string[]): Promise<number> {
  const bundle = await ehr.fhir<Bundle<Observation>>(
    observationSearch(patient, codes, { _summary: 'count' }),
  );
  if (bundle.total === undefined) throw new Error('the sandbox sent no total');
  return bundle.total;
}

/** Every matching observation, newest first, following `next` links to the end. */
async function serverObservations(
  ehr: Ehr,
  patient: string,
  codes: readonly string[],
): Promise<Observation[]> {
  const observations: Observation[] = [];
  let path: string | undefined = observationSearch(patient, codes, { _sort: '-date', _count: '1000' });
  for (let pages = 0; path !== undefined; pages++) {
    if (pages > 50) throw new Error('too many pages');
    const bundle: Bundle<Observation> = await ehr.fhir<Bundle<Observation>>(path);
    for (const entry of bundle.entry ?? []) {
      if (entry.resource?.resourceType === 'Observation') observations.push(entry.resource);
    }
    const next = bundle.link?.find((link) => link.relation === 'next')?.url;
    path = next?.startsWith(`${ehr.env.fhirBaseUrl}/`)
      ? next.slice(ehr.env.fhirBaseUrl.length + 1)
      : undefined;
  }
  return observations;
}

/** The newest matching observation (`order: 'date'`: the oldest). */
async function latestOnServer(
  ehr: Ehr,
  patient: string,
  codes: readonly string[],
  order: '-date' | 'date' = '-date',
): Promise<Observation> {
  const bundle = await ehr.fhir<Bundle<Observation>>(
    observationSearch(patient, codes, { _sort: order, _count: '1' }),
  );
  const latest = bundle.entry?.[0]?.resource;
  if (latest?.resourceType !== 'Observation')
    throw new Error(`no observation of ${codes.join(',')} for ${patient}`);
  return latest;
}

function effectiveOf(observation: Observation): string {
  const at = observation.effectiveDateTime ?? observation.effectiveInstant;
  if (at === undefined) throw new Error(`${observation.id ?? '?'} has no effective dateTime`);
  return at;
}

function quantityOf(quantity: Quantity | undefined): { value: number; unit: string } {
  if (quantity?.value === undefined) throw new Error('no valueQuantity');
  const code = quantity.unit ?? quantity.code ?? '';
  return { value: quantity.value, unit: UNIT_DISPLAY[code] ?? code };
}

/** "72 /min", "7.4%": the app's spelling (a percent sign sticks to the number). */
function formatQuantity(quantity: Quantity | undefined): string {
  const { value, unit } = quantityOf(quantity);
  return unit === '%' ? `${value}%` : `${value} ${unit}`;
}

/** "133/73 mmHg" from a BP panel's systolic and diastolic components. */
function formatBloodPressure(observation: Observation): string {
  const component = (code: string) =>
    observation.component?.find((c) => c.code.coding?.some((coding) => coding.code === code))?.valueQuantity;
  const systolic = quantityOf(component('8480-6'));
  const diastolic = quantityOf(component('8462-4'));
  expect(systolic.unit).toBe(diastolic.unit);
  return `${systolic.value}/${diastolic.value} ${systolic.unit}`;
}

// App side ------------------------------------------------------------------------------------------------------

/** MOVO-X's frame inside the EHR page (its window, its time zone). */
async function appFrame(page: Page, ehr: Ehr): Promise<Frame> {
  await expect
    .poll(() => page.frames().some((f) => f.url().startsWith(`${ehr.env.appOrigin}/index.html`)))
    .toBe(true);
  const frame = page.frames().find((f) => f.url().startsWith(`${ehr.env.appOrigin}/index.html`));
  if (!frame) throw new Error('MOVO-X frame not found');
  return frame;
}

/** The app's date label for a FHIR dateTime: `YYYY-MM-DD HH:mm` in the browser's time zone. */
async function dateLabeller(page: Page, ehr: Ehr): Promise<(fhirDateTime: string) => string> {
  const frame = await appFrame(page, ehr);
  const timeZone = await frame.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return (fhirDateTime) => {
    const parts = Object.fromEntries(
      format.formatToParts(new Date(fhirDateTime)).map((p) => [p.type, p.value]),
    );
    return `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''} ${parts.hour ?? ''}:${parts.minute ?? ''}`;
  };
}

async function openObservations(page: Page, ehr: Ehr, patient: string): Promise<Locator> {
  const app: FrameLocator = await ehr.openChart(page, { patient });
  const panel = app.getByRole('region', { name: 'Observations', exact: true });
  await expect(panel.getByRole('heading', { name: 'Vital signs' })).toBeVisible();
  return panel;
}

/** A vital sign card (a button named by its label first). */
function vitalCard(panel: Locator, label: string): Locator {
  return panel.getByRole('button', { name: new RegExp(`^${label}`) });
}

/** The progress line shown while the history streams in ("Loaded 2,000 of 27,899 observations…"). */
function loadProgress(panel: Locator): Locator {
  return panel.getByRole('status').filter({ hasText: /^Loaded [\d,]+/ });
}

async function expectHistoryLoaded(panel: Locator, timeout = HEAVY_TOTAL_TIMEOUT): Promise<void> {
  await expect(loadProgress(panel)).toHaveCount(0, timeout);
  await expect(panel.getByRole('status').filter({ hasText: 'Loading observations' })).toHaveCount(0);
}

/** Opens a detail from the overview and shows every value (time range "All"). */
async function openDetail(panel: Locator, opener: Locator, heading: string): Promise<void> {
  await opener.click();
  await expect(panel.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  const all = panel
    .getByRole('group', { name: 'Time range' })
    .getByRole('button', { name: 'All', exact: true });
  await all.click();
  await expect(all).toHaveAttribute('aria-pressed', 'true');
}

/** A detail's values table by its caption, and its pager line ("Showing 1–100 of 6,524"). */
function valuesTable(panel: Locator, caption: string) {
  const table = panel.getByRole('table', { name: caption, exact: true });
  // The table with its pager (the pager line has no role of its own).
  const block = panel
    .locator('.obs-values')
    .filter({ has: panel.page().getByRole('table', { name: caption, exact: true }) });
  return {
    table,
    pager: block.getByText(/^Showing [\d,]+–[\d,]+ of [\d,]+$|^No values in this time range\.$/),
    next: block.getByRole('button', { name: /^Next/ }),
    sortByDate: table.getByRole('button', { name: /^Date/ }),
  };
}

interface ShownRow {
  readonly date: string;
  readonly value: string;
  readonly flag: string;
  readonly status: string;
}

/** The rows of the table's current page (body rows: those with data cells). */
async function shownRows(table: Locator): Promise<ShownRow[]> {
  const rows = table.getByRole('row').filter({ has: table.page().getByRole('cell') });
  const cells = await rows.evaluateAll((trs) =>
    trs.map((tr) => Array.from((tr as HTMLTableRowElement).cells, (cell) => cell.textContent.trim())),
  );
  return cells.map(([date = '', value = '', flag = '', status = '']) => ({ date, value, flag, status }));
}

/** Every row, page after page. */
async function allShownRows(panel: Locator, caption: string): Promise<ShownRow[]> {
  const { table, pager, next } = valuesTable(panel, caption);
  const rows: ShownRow[] = [];
  for (;;) {
    const text = (await pager.textContent()) ?? '';
    rows.push(...(await shownRows(table)));
    if ((await next.count()) === 0 || (await next.isDisabled())) return rows;
    await next.click();
    await expect(pager).not.toHaveText(text);
  }
}

const countText = (n: number) => new Intl.NumberFormat('en-US').format(n);

// Tests ---------------------------------------------------------------------------------------------------------

for (const { patient, code } of [
  { patient: 'patient-adult-1', code: '85354-9' },
  { patient: 'patient-adult-2', code: '55284-4' },
]) {
  test(`the latest blood pressure is what the EHR holds (${patient}, panel ${code})`, async ({
    page,
    ehr,
  }) => {
    const latest = await latestOnServer(ehr, patient, [
      ...CODE_SETS.bloodPressure,
      ...CODE_SETS.bpComponents,
    ]);
    // The patient's BP is the panel under test, with its components (not a standalone systolic).
    expect(latest.code.coding?.map((c) => c.code)).toContain(code);
    const value = formatBloodPressure(latest);

    const panel = await openObservations(page, ehr, patient);
    const label = await dateLabeller(page, ehr);
    const card = vitalCard(panel, 'Blood pressure');
    await expect(card.getByText(value, { exact: true })).toBeVisible();
    await expect(card.getByText(label(effectiveOf(latest)), { exact: true })).toBeVisible();
  });
}

test('an entered-in-error heart rate never appears, on the card or in any row of the detail', async ({
  page,
  ehr,
}) => {
  const patient = 'patient-adult-3';
  // The server does hold the retracted 300 /min, and it is the patient's newest heart rate.
  const retracted = await ehr.fhir<Observation>('Observation/obs-adult-3-heart-rate-entered-in-error');
  expect(retracted.status).toBe('entered-in-error');
  expect(retracted.valueQuantity?.value).toBe(300);
  const valid = await serverObservations(ehr, patient, CODE_SETS.heartRate);
  const [latest] = valid;
  if (!latest) throw new Error('no valid heart rate');
  expect(Date.parse(effectiveOf(retracted))).toBeGreaterThan(Date.parse(effectiveOf(latest)));

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  const card = vitalCard(panel, 'Heart rate');
  await expect(card.getByText(formatQuantity(latest.valueQuantity), { exact: true })).toBeVisible();
  await expect(card.getByText(label(effectiveOf(latest)), { exact: true })).toBeVisible();
  await expect(card).not.toContainText('300');

  await openDetail(panel, card, 'Heart rate');
  const { pager } = valuesTable(panel, 'Heart rate: values');
  await expect(pager).toHaveText(`Showing 1–${valid.length} of ${valid.length}`);
  const rows = await allShownRows(panel, 'Heart rate: values');
  expect(rows.map((r) => `${r.date} ${r.value}`)).toEqual(
    valid.map((o) => `${label(effectiveOf(o))} ${formatQuantity(o.valueQuantity)}`),
  );
  expect(rows.filter((r) => r.value.startsWith('300') || r.date === label(effectiveOf(retracted)))).toEqual(
    [],
  );
  await expect(panel.getByText(/\b300 \/min/)).toHaveCount(0);
});

test('an amended HbA1c is marked "Amended" on the overview (when latest) and in its detail row', async ({
  page,
  ehr,
}) => {
  const patient = 'patient-adult-1';
  const amended = await ehr.fhir<Observation>('Observation/obs-adult-1-hba1c-amended');
  expect(amended.status).toBe('amended');
  const all = await serverObservations(ehr, patient, CODE_SETS.hba1c);
  const [latest] = all;
  if (!latest) throw new Error('no HbA1c');

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  const row = panel
    .getByRole('table', { name: 'Glucose and HbA1c' })
    .getByRole('row', { name: /Hemoglobin A1c/ });
  await expect(row).toContainText(formatQuantity(latest.valueQuantity));
  await expect(row).toContainText(label(effectiveOf(latest)));
  if (latest.id === amended.id) await expect(row).toContainText('Amended');
  else await expect(row).not.toContainText('Amended');

  await openDetail(panel, row.getByRole('button', { name: /Hemoglobin A1c/ }), 'Hemoglobin A1c');
  const { pager } = valuesTable(panel, 'Hemoglobin A1c: values');
  await expect(pager).toHaveText(`Showing 1–${all.length} of ${all.length}`);
  const rows = await allShownRows(panel, 'Hemoglobin A1c: values');
  const marked = rows.filter((r) => r.status === 'Amended');
  expect(marked).toEqual([
    expect.objectContaining({
      date: label(effectiveOf(amended)),
      value: formatQuantity(amended.valueQuantity),
    }),
  ]);
  // Only the amended value is marked: the final ones carry no status.
  expect(all.filter((o) => o.status === 'amended').map((o) => o.id)).toEqual([amended.id]);
  expect(rows.filter((r) => r.status !== '' && r.status !== 'Amended')).toEqual([]);
});

test('glucose in mmol/L and mg/dL is shown as one series in mg/dL, with the conversion noted', async ({
  page,
  ehr,
}) => {
  const patient = 'patient-adult-1';
  const all = await serverObservations(ehr, patient, CODE_SETS.glucose);
  const mmol = all.filter((o) => o.valueQuantity?.code === 'mmol/L');
  expect(mmol.length).toBeGreaterThan(0);
  // The newest value is in mg/dL: the series' unit.
  expect(all[0]?.valueQuantity?.code).toBe('mg/dL');

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  const opener = panel
    .getByRole('table', { name: 'Glucose and HbA1c' })
    .getByRole('button', { name: /^Glucose/ });
  await openDetail(panel, opener, 'Glucose');
  // The UCUM converter arrives in its own chunk; then the series merge.
  await expect(
    panel.getByText(
      `${mmol.length} ${mmol.length === 1 ? 'value' : 'values'} converted from mmol/L to mg/dL`,
    ),
  ).toBeVisible();
  await expect(panel.getByRole('table')).toHaveCount(1);
  const { pager } = valuesTable(panel, 'Glucose: values');
  await expect(pager).toHaveText(`Showing 1–${all.length} of ${all.length}`);

  const rows = await allShownRows(panel, 'Glucose: values');
  expect(rows).toHaveLength(all.length);
  for (const row of rows)
    expect(row.value).toMatch(/^[<>=]*\d+(\.\d+)? mg\/dL( \(sent as [\d.]+ mmol\/L\))?$/);
  for (const observation of mmol) {
    const sent = quantityOf(observation.valueQuantity).value;
    const row = rows.find((r) => r.date === label(effectiveOf(observation)) && r.value.includes('sent as'));
    expect(row?.value).toContain(`(sent as ${sent} mmol/L)`);
    const shown = Number(/^([\d.]+) mg\/dL/.exec(row?.value ?? '')?.[1]);
    const expected = sent * GLUCOSE_MG_PER_MMOL;
    // Four significant digits, as the app rounds computed values: within one unit of the last digit.
    const lastDigit = 10 ** (Math.floor(Math.log10(expected)) - 3);
    expect(Math.abs(shown - expected)).toBeLessThanOrEqual(lastDigit);
  }
  // The mg/dL values are shown as sent.
  for (const observation of all.filter((o) => o.valueQuantity?.code === 'mg/dL')) {
    expect(rows).toContainEqual(
      expect.objectContaining({
        date: label(effectiveOf(observation)),
        value: formatQuantity(observation.valueQuantity),
      }),
    );
  }
});

test('the heavy patient: the first vital sign shows while the history is still loading, then it all loads', async ({
  page,
  ehr,
}) => {
  const patient = 'patient-heavy';
  const total =
    (await ehr.fhir<Bundle<Observation>>(`Observation?patient=${patient}&_summary=count`)).total ?? 0;
  expect(total).toBeGreaterThan(25_000);
  const latestBp = await latestOnServer(ehr, patient, CODE_SETS.bloodPressure);

  const app = await ehr.openChart(page, { patient });
  const panel = app.getByRole('region', { name: 'Observations', exact: true });
  const card = vitalCard(panel, 'Blood pressure');
  const progress = loadProgress(panel);
  await expect(card.getByText(formatBloodPressure(latestBp), { exact: true })).toBeVisible();
  // Read after the card was seen: if the progress line still says "loading" now, it did then too (progress only
  // moves forward), so the first vital sign was on screen before the history had finished loading.
  const text = (await progress.textContent({ timeout: 1_000 })) ?? '';
  const match = /^Loaded ([\d,]+) of ([\d,]+) observations…$/.exec(text);
  expect(match?.[2]).toBe(countText(total));
  expect(Number(match?.[1]?.replaceAll(',', ''))).toBeLessThan(total);
  await expectHistoryLoaded(panel);
  await expect(card.getByText(formatBloodPressure(latestBp), { exact: true })).toBeVisible();
});

test("the heavy patient's heart-rate table finally lists every value the EHR holds", async ({
  page,
  ehr,
}) => {
  const patient = 'patient-heavy';
  const count = await serverCount(ehr, patient, CODE_SETS.heartRate);
  const newest = await latestOnServer(ehr, patient, CODE_SETS.heartRate);
  const oldest = await latestOnServer(ehr, patient, CODE_SETS.heartRate, 'date');
  expect(count).toBeGreaterThan(5_000);

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  await expectHistoryLoaded(panel);
  await openDetail(panel, vitalCard(panel, 'Heart rate'), 'Heart rate');
  const { table, pager, sortByDate } = valuesTable(panel, 'Heart rate: values');
  await expect(panel.getByRole('table')).toHaveCount(1);
  await expect(pager).toHaveText(`Showing 1–100 of ${countText(count)}`);
  const first = (await shownRows(table))[0];
  expect(first).toMatchObject({
    date: label(effectiveOf(newest)),
    value: formatQuantity(newest.valueQuantity),
  });
  // The oldest value is there too (the stream reached the end).
  await sortByDate.click();
  await expect(table.getByRole('columnheader', { name: /^Date/ })).toHaveAttribute('aria-sort', 'ascending');
  const oldestRow = (await shownRows(table))[0];
  expect(oldestRow).toMatchObject({
    date: label(effectiveOf(oldest)),
    value: formatQuantity(oldest.valueQuantity),
  });
});

test('observations without a category are shown (patient-adult-2 lipids)', async ({ page, ehr }) => {
  const patient = 'patient-adult-2';
  const lipids = await serverObservations(ehr, patient, Object.keys(LIPID_LABELS));
  expect(lipids.length).toBeGreaterThan(0);
  expect(lipids.filter((o) => o.category !== undefined)).toEqual([]);

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  // Known lipid analytes: the app lists them in their lab panel, whatever their (missing) category.
  const table = panel.getByRole('table', { name: 'Lipids' });
  for (const [code, name] of Object.entries(LIPID_LABELS)) {
    const latest = lipids.find((o) => o.code.coding?.some((c) => c.code === code));
    if (!latest) throw new Error(`no ${name} on the server`);
    const row = table.getByRole('row', { name: new RegExp(`^${name.replace(/[(),]/g, '\\$&')}`) });
    await expect(row).toContainText(formatQuantity(latest.valueQuantity));
    await expect(row).toContainText(label(effectiveOf(latest)));
  }
});

test('a value absent for a reason shows its reason (patient-adult-3 temperature)', async ({ page, ehr }) => {
  const patient = 'patient-adult-3';
  const absent = await ehr.fhir<Observation>('Observation/obs-adult-3-temperature-absent');
  expect(absent.valueQuantity).toBeUndefined();
  const reason = absent.dataAbsentReason?.coding?.[0]?.display;
  expect(reason).toBe('Error');
  const latest = await latestOnServer(ehr, patient, ['8310-5', '8331-1', '8328-7', '8333-7', '8332-9']);
  expect(latest.id).toBe(absent.id);

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  const card = vitalCard(panel, 'Body temperature');
  await expect(card.getByText(`Not recorded: ${reason ?? ''}`, { exact: true })).toBeVisible();
  await expect(card.getByText(label(effectiveOf(absent)), { exact: true })).toBeVisible();
});

test('sampled data is shown as not shown, and a narrative script never runs (patient-adult-4)', async ({
  page,
  ehr,
}) => {
  const patient = 'patient-adult-4';
  const ecg = await ehr.fhir<Observation>('Observation/obs-adult-4-ecg-sampled-data');
  expect(ecg.valueSampledData?.data).toBeTruthy();
  const weight = await ehr.fhir<Observation>('Observation/obs-adult-4-narrative-script');
  expect(weight.text?.div).toContain('<script>');

  const panel = await openObservations(page, ehr, patient);
  const label = await dateLabeller(page, ehr);
  const ecgRow = panel.getByRole('row', { name: /ECG lead II rhythm strip/ });
  await expect(ecgRow).toContainText('Sampled data (not shown)');
  await expect(ecgRow).toContainText(label(effectiveOf(ecg)));

  await openDetail(panel, vitalCard(panel, 'Body weight'), 'Body weight');
  const rows = await allShownRows(panel, 'Body weight: values');
  expect(rows).toContainEqual(
    expect.objectContaining({
      date: label(effectiveOf(weight)),
      value: formatQuantity(weight.valueQuantity),
    }),
  );
  // The narrative is shown, sanitised: its text is there, its script and onerror are not.
  await expect(panel.getByText(/weighed after dialysis/)).toBeVisible();
  const frame = await appFrame(page, ehr);
  const ran = await frame.evaluate(() => {
    const w = window as unknown as Record<string, unknown>;
    return [w.__sandboxNarrativeScriptRan, w.__sandboxNarrativeOnerrorRan];
  });
  expect(ran).toEqual([undefined, undefined]);
  await expect(panel.locator('script, img')).toHaveCount(0);
});
