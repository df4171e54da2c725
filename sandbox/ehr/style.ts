/**
 * The EHR's style for embedded apps, served at `/ehr/smart-style.json` and named by `smart_style_url` in every
 * token response (SMART App Launch 2.2 "Styling": https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#styling).
 * The highlight colour is deliberately unmistakable (a plum no app would pick by itself): an e2e test checks that
 * MOVO-X applies it.
 */
export const SANDBOX_HIGHLIGHT_COLOR = '#7a1f5c';

export const SANDBOX_STYLE = {
  color_background: '#f4f6f8',
  color_error: '#a4262c',
  color_highlight: SANDBOX_HIGHLIGHT_COLOR,
  color_modal_backdrop: 'rgba(29, 42, 51, 0.6)',
  color_success: '#1e7a3c',
  color_text: '#1d2a33',
  dim_border_radius: '6px',
  dim_font_size: '15px',
  dim_spacing_size: '16px',
  font_family_body: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  font_family_heading: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
} as const;
