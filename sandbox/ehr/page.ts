/**
 * The EHR's launcher page: pick an app, a practitioner, a patient (and an encounter) and launch options, then
 * launch in the EHR frame (/ehr/chart) or in a new tab (/ehr/launch). Plain HTML and a small script that fills
 * the lists from the JSON endpoints; the form itself is an ordinary GET form with the scripted-launch parameters.
 */
import { htmlPage } from '../http.ts';

export const EHR_PAGE_SCRIPT_PATH = '/ehr/ehr.js';

/** Served with a Content-Security-Policy that allows only this page's own script. */
export const EHR_PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

export function ehrPage(): string {
  return htmlPage(
    'Sandbox EHR',
    `<header class="ehr"><h1>Sandbox EHR</h1><span>SMART App Launch 2.2 · FHIR R4</span></header>
<main>
<form id="launch" method="get" action="/ehr/chart">
  <div class="row">
    <div><label for="client_id">App</label><select id="client_id" name="client_id"></select></div>
    <div><label for="app_origin">App origin</label><select id="app_origin" name="app_origin"></select></div>
  </div>
  <label for="practitioner">Practitioner (the signed-in user)</label>
  <select id="practitioner" name="practitioner"></select>
  <label for="patient">Patient</label>
  <select id="patient" name="patient"></select>
  <label for="encounter">Encounter</label>
  <select id="encounter" name="encounter"><option value="">(none)</option></select>
  <div class="row">
    <div>
      <label for="banner">Patient banner</label>
      <select id="banner" name="banner">
        <option value="1">The app shows it (need_patient_banner: true)</option>
        <option value="0">The EHR shows its own (need_patient_banner: false)</option>
      </select>
    </div>
    <div>
      <label for="token_lifetime">Access token lifetime (seconds)</label>
      <input id="token_lifetime" name="token_lifetime" type="number" min="1" max="86400" value="3600">
    </div>
  </div>
  <div class="row">
    <div>
      <label for="grant">Grant</label>
      <select id="grant" name="grant">
        <option value="all">Everything requested and registered</option>
        <option value="read-only">Read-only (no create or update)</option>
        <option value="custom">Only these scopes…</option>
      </select>
    </div>
    <div>
      <label for="grant_scopes">Scopes for "Only these scopes"</label>
      <input id="grant_scopes" name="grant_scopes" type="text" placeholder="patient/Observation.rs patient/Patient.rs">
    </div>
  </div>
  <label class="check"><input type="checkbox" name="v1" value="1"> Behave as a SMART v1-only server (iss = /v1/fhir)</label>
  <label class="check"><input type="checkbox" name="refresh" value="deny"> Refuse token refresh</label>
  <button type="submit" formaction="/ehr/chart">Launch in EHR frame</button>
  <button type="submit" formaction="/ehr/launch" formtarget="_blank">Launch in new tab</button>
  <p id="status" role="status">Loading lists…</p>
</form>
<p>Scripted launch: <code>GET /ehr/launch?client_id=movo-x&amp;patient=patient-adult-1&amp;practitioner=practitioner-1</code> answers 302 to the app. FHIR base: <code id="fhir-base"></code></p>
</main>
<script src="${EHR_PAGE_SCRIPT_PATH}" defer></script>`,
  );
}

/** The page's script (plain ES2020, no framework). */
export const EHR_PAGE_SCRIPT = `'use strict';
const byId = (id) => document.getElementById(id);

async function load(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(url + ' answered ' + response.status);
  return response.json();
}

function fill(select, items, label, value, keep) {
  const previous = select.value;
  select.replaceChildren(...(keep || []), ...items.map((item) => new Option(label(item), value(item))));
  if ([...select.options].some((option) => option.value === previous)) select.value = previous;
}

let apps = [];

function fillOrigins() {
  const app = apps.find((each) => each.client_id === byId('client_id').value);
  const origins = app ? app.launch_urls.map((url) => new URL(url).origin) : [];
  fill(byId('app_origin'), origins, (origin) => origin, (origin) => origin);
}

async function loadEncounters() {
  const patient = byId('patient').value;
  const encounters = patient ? await load('/ehr/encounters?patient=' + encodeURIComponent(patient)) : [];
  fill(
    byId('encounter'),
    encounters,
    (encounter) => [encounter.start ? encounter.start.slice(0, 10) : '?', encounter.type, encounter.status].filter(Boolean).join(' · '),
    (encounter) => encounter.id,
    [new Option('(none)', '')],
  );
}

async function init() {
  const [appList, practitioners, patients] = await Promise.all([
    load('/ehr/apps'),
    load('/ehr/practitioners'),
    load('/ehr/patients'),
  ]);
  apps = appList;
  fill(byId('client_id'), apps, (app) => app.name, (app) => app.client_id);
  fill(byId('practitioner'), practitioners, (practitioner) => practitioner.name, (practitioner) => practitioner.id);
  fill(
    byId('patient'),
    patients,
    (patient) =>
      patient.name + ' (' + [patient.birthDate, patient.gender].filter(Boolean).join(', ') + ') · ' +
      patient.observationCount.toLocaleString('en') + ' observations',
    (patient) => patient.id,
  );
  fillOrigins();
  await loadEncounters();
  byId('client_id').addEventListener('change', fillOrigins);
  byId('patient').addEventListener('change', () => { loadEncounters().catch(showError); });
  byId('fhir-base').textContent = location.origin + '/fhir';
  byId('status').textContent = '';
}

function showError(error) {
  byId('status').textContent = 'Error: ' + error.message;
  byId('status').className = 'error';
}

init().catch(showError);
`;
