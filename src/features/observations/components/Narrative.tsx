/**
 * An observation's narrative (text.div), rendered only after DOMPurify: FHIR narrative is XHTML from the EHR and
 * may carry anything (smart-facts "Security"). Loaded lazily with the detail view; not on the first-paint path.
 */
import DOMPurify from 'dompurify';

const ALLOWED = {
  // Text formatting and tables only: no forms, media, styles or links that could phish.
  ALLOWED_TAGS: [
    'div',
    'p',
    'br',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    'ul',
    'ol',
    'li',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'pre',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'sub',
    'sup',
  ],
  ALLOWED_ATTR: ['colspan', 'rowspan'],
};

export function sanitizeNarrative(html: string): string {
  return DOMPurify.sanitize(html, ALLOWED);
}

export default function Narrative({ html, label }: { html: string; label: string }) {
  return (
    <section className="obs-narrative" aria-label={label}>
      <h4>{label}</h4>
      {/* Sanitised above: the only place MOVO-X renders EHR-provided HTML. */}
      <div dangerouslySetInnerHTML={{ __html: sanitizeNarrative(html) }} />
    </section>
  );
}
