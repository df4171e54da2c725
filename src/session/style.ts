/**
 * The EHR's style (SMART `smart_style_url`, capability `context-style`, formerly `context-passthrough-style`):
 * https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#styling
 * Each field becomes a CSS custom property; values are checked so that a style file cannot inject CSS
 * (a colour must look like a colour, a dimension like a dimension). A missing or broken file keeps the default theme.
 */

const COLOR = /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\)|hsla?\([\d\s.,%deg]+\)|[a-z]{3,20})$/i;
const DIMENSION = /^\d+(\.\d+)?(px|em|rem|%)?$/;
const FONT_FAMILY = /^[\w\s,'"-]{1,200}$/;

type FieldKind = 'color' | 'dimension' | 'font';

const FIELDS: Record<string, FieldKind> = {
  color_background: 'color',
  color_error: 'color',
  color_highlight: 'color',
  color_modal_backdrop: 'color',
  color_success: 'color',
  color_text: 'color',
  dim_border_radius: 'dimension',
  dim_font_size: 'dimension',
  dim_spacing_size: 'dimension',
  font_family_body: 'font',
  font_family_heading: 'font',
};

function valid(kind: FieldKind, value: string): boolean {
  switch (kind) {
    case 'color':
      return COLOR.test(value);
    case 'dimension':
      return DIMENSION.test(value);
    case 'font':
      return FONT_FAMILY.test(value);
  }
}

/** `{ color_highlight: '#7a1f5c' }` → `{ '--ehr-color-highlight': '#7a1f5c' }`; unknown or unsafe fields dropped. */
export function cssVariablesFromStyle(style: unknown): Record<string, string> {
  const variables: Record<string, string> = {};
  if (typeof style !== 'object' || style === null) return variables;
  for (const [field, raw] of Object.entries(style as Record<string, unknown>)) {
    const kind = FIELDS[field];
    if (!kind) continue;
    const value = typeof raw === 'number' ? String(raw) : raw;
    if (typeof value !== 'string' || !valid(kind, value.trim())) continue;
    // SMART dimensions are unitless numbers in pixels in the spec's example.
    const css =
      kind === 'dimension' && /^\d+(\.\d+)?$/.test(value.trim()) ? `${value.trim()}px` : value.trim();
    variables[`--ehr-${field.replace(/_/g, '-')}`] = css;
  }
  return variables;
}

/** Fetches the style file (no credentials: it is public) and applies it; any failure keeps the default theme. */
export async function applyEhrStyle(
  styleUrl: string,
  root: HTMLElement = document.documentElement,
): Promise<boolean> {
  try {
    const response = await fetch(styleUrl, { credentials: 'omit', headers: { Accept: 'application/json' } });
    if (!response.ok) return false;
    const variables = cssVariablesFromStyle((await response.json()) as unknown);
    for (const [name, value] of Object.entries(variables)) root.style.setProperty(name, value);
    return Object.keys(variables).length > 0;
  } catch {
    return false;
  }
}
