/**
 * One-line summaries for the note editor: "BP 128/82 mmHg (2026-12-03 08:14)", "Glucose 95 mg/dL (…)".
 * Times are the observations' own, in the browser's local time zone (`YYYY-MM-DD HH:mm`).
 */
import { flagLabel } from './interpretation.ts';
import type { Overview, OverviewItem } from './overview.ts';

export interface ClinicalSnippet {
  readonly id: string;
  readonly label: string;
  readonly text: string;
}

function line(short: string, item: OverviewItem): string {
  const { latest } = item;
  const notes = [
    latest.flag !== undefined && latest.flag !== 'normal'
      ? flagLabel(latest.flag, latest.flagSource)
      : undefined,
    latest.statusMark,
  ].filter((n) => n !== undefined);
  const suffix = notes.length > 0 ? `, ${notes.join(', ')}` : '';
  return `${short} ${latest.value.text}${suffix} (${latest.effective.label})`;
}

/** Latest vital signs, then the latest value of each known lab analyte (panel order). */
export function clinicalSnippets(overview: Overview): ClinicalSnippet[] {
  const vitals = overview.vitals.map((item) => ({
    id: `vital:${item.key}`,
    label: item.concept.label,
    text: line(item.concept.short, item),
  }));
  const labs = overview.labPanels
    .filter((panel) => panel.id !== 'other')
    .flatMap((panel) =>
      panel.items.map((item) => ({
        id: `lab:${item.key}`,
        label: item.label,
        text: line(item.label, item),
      })),
    );
  return [...vitals, ...labs];
}
