import FHIR from 'fhirclient';

/** Set by launch.html when Oracle PowerChart session isolation is on, read by index.html before `ready()`. */
export const POWERCHART_FLAG = 'movo-x:powerchart';

/**
 * Oracle's fix for session bleed between PowerChart charts that share sessionStorage: fhirclient then keys its
 * state by the URL's `state` parameter (kept in the URL) instead of the shared `SMART_KEY`.
 * https://fhir.cerner.com/smart/ (PowerChart embedded browser) — fhirclient `fullSessionStorageSupport`.
 */
export function isolatePowerChartSessions(): void {
  (FHIR.oauth2.settings as { fullSessionStorageSupport?: boolean }).fullSessionStorageSupport = false;
}
