/**
 * The observations feature's public API. Everything else in this folder is internal.
 */
export { ObservationsPanel, type ObservationsPanelProps } from './components/ObservationsPanel.tsx';
export { useClinicalSnippets } from './api/snippets.ts';
export type { ClinicalSnippet } from './model/snippets.ts';
export { observationKeys } from './api/keys.ts';
export { observationHistoryOptions } from './api/history.ts';
